-- Sorts the restock page adds to GET /restock/plans/{id} (vendor, velocity, days of cover), each with
-- the sku tie-break like those of 0012, so a 5,000-line plan pages in an index scan, not a sort.
CREATE INDEX restock_plan_lines_vendor_idx ON restock_plan_lines (plan_id, vendor_name, sku);
CREATE INDEX restock_plan_lines_demand_idx ON restock_plan_lines (plan_id, demand, sku);
CREATE INDEX restock_plan_lines_cover_idx ON restock_plan_lines (plan_id, days_of_cover, sku);

-- "What is on order" per SKU of a marketplace: open orders only (the restock page reads it per page).
CREATE INDEX purchase_orders_open_idx ON purchase_orders (marketplace, id) WHERE status = 'open';
