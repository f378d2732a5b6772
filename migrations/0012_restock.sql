-- Restock planner (SPEC §9) and the purchase orders it counts as "on order".

-- Orders placed with a vendor and not yet (fully) received. Only `open` orders count as on order;
-- received and cancelled ones are kept as history.
CREATE TABLE purchase_orders (
  id           bigserial PRIMARY KEY,
  vendor_id    bigint NOT NULL REFERENCES vendors (id) ON DELETE RESTRICT,
  marketplace  char(2) NOT NULL,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'received', 'cancelled')),
  reference    text CHECK (length(reference) <= 100),
  expected_at  date,
  note         text CHECK (length(note) <= 2000),
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  received_at  timestamptz,
  cancelled_at timestamptz
);
-- GET /purchase-orders: newest first, optionally by status and/or vendor, tie-break on id.
CREATE INDEX purchase_orders_created_idx ON purchase_orders (created_at DESC, id DESC);
CREATE INDEX purchase_orders_status_idx ON purchase_orders (status, created_at DESC, id DESC);
CREATE INDEX purchase_orders_vendor_idx ON purchase_orders (vendor_id, status, created_at DESC, id DESC);

CREATE TABLE purchase_order_lines (
  po_id        bigint NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
  sku          text NOT NULL CHECK (length(sku) BETWEEN 1 AND 100),
  asin         text CHECK (asin ~ '^[A-Z0-9]{10}$'),
  qty          integer NOT NULL CHECK (qty > 0),
  unit_cost    numeric(14, 4) CHECK (unit_cost >= 0),
  received_qty integer NOT NULL DEFAULT 0 CHECK (received_qty >= 0 AND received_qty <= qty),
  PRIMARY KEY (po_id, sku)
);
-- The planner sums what is still outstanding on open orders per SKU.
CREATE INDEX purchase_order_lines_sku_idx ON purchase_order_lines (sku);

-- One plan per marketplace and ISO week ('2026-W48'): a re-run in the same week replaces it (same id).
CREATE TABLE restock_plans (
  id          bigserial PRIMARY KEY,
  marketplace char(2) NOT NULL,
  week        text NOT NULL CHECK (week ~ '^[0-9]{4}-W[0-9]{2}$'),
  run_id      uuid,
  params      jsonb NOT NULL,
  counts      jsonb NOT NULL,
  total_units bigint NOT NULL DEFAULT 0,
  total_cost  numeric(18, 4) NOT NULL DEFAULT 0,
  currency    char(3) NOT NULL,
  csv_key     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (marketplace, week)
);
-- GET /restock/plans: newest first.
CREATE INDEX restock_plans_created_idx ON restock_plans (created_at DESC, id DESC);

CREATE TABLE restock_plan_lines (
  plan_id          bigint NOT NULL REFERENCES restock_plans (id) ON DELETE CASCADE,
  sku              text NOT NULL,
  asin             text,
  vendor_id        bigint,
  vendor_name      text,
  vendor_sku       text,
  demand           numeric(14, 4) NOT NULL,
  sigma            numeric(14, 4) NOT NULL,
  lead_time_days   integer NOT NULL,
  safety_stock     numeric(14, 2) NOT NULL,
  reorder_point    numeric(14, 2) NOT NULL,
  order_up_to      numeric(14, 2) NOT NULL,
  on_hand          integer NOT NULL,
  inbound          integer NOT NULL,
  on_order         integer NOT NULL,
  position         integer NOT NULL,
  qty              integer NOT NULL CHECK (qty >= 0),
  case_pack        integer NOT NULL,
  moq              integer NOT NULL,
  unit_cost        numeric(14, 4),
  line_cost        numeric(18, 4),
  days_of_cover    numeric(10, 1),
  days_to_stockout numeric(10, 1),
  overstock        boolean NOT NULL,
  history_days     integer NOT NULL,
  in_stock_days    integer NOT NULL,
  reason           text NOT NULL,
  PRIMARY KEY (plan_id, sku)
);
-- Sorts of GET /restock/plans/{id} (sku uses the primary key); each ends in the sku tie-break. The
-- partial ones serve order_only=true, the usual buyer's view.
CREATE INDEX restock_plan_lines_qty_idx ON restock_plan_lines (plan_id, qty, sku);
CREATE INDEX restock_plan_lines_cost_idx ON restock_plan_lines (plan_id, line_cost, sku);
CREATE INDEX restock_plan_lines_stockout_idx ON restock_plan_lines (plan_id, days_to_stockout, sku);
CREATE INDEX restock_plan_lines_order_qty_idx ON restock_plan_lines (plan_id, qty, sku) WHERE qty > 0;
CREATE INDEX restock_plan_lines_order_cost_idx ON restock_plan_lines (plan_id, line_cost, sku) WHERE qty > 0;
CREATE INDEX restock_plan_lines_order_stockout_idx ON restock_plan_lines (plan_id, days_to_stockout, sku)
  WHERE qty > 0;
CREATE INDEX restock_plan_lines_order_sku_idx ON restock_plan_lines (plan_id, sku) WHERE qty > 0;
