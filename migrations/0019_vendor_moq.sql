-- A vendor's default minimum order quantity per item, in units (SPEC §9). Many vendors state one MOQ
-- for their whole range instead of a column in every price list: the restock plan uses it for items
-- whose price list gives none (vendor_prices.moq = 0), as it already does with lead_time_days.
-- NULL = no default: an item without its own MOQ can be ordered in any quantity (whole case packs).
ALTER TABLE vendors ADD COLUMN moq integer CHECK (moq BETWEEN 0 AND 1000000);
