-- Price-list import (SPEC §3): what a load records beyond the core tables. No new indexes on
-- vendor_prices on purpose: every index slows the million-row upsert, and the primary key
-- (vendor_id, sku) already serves paging a vendor's prices; history is read through its own key.
ALTER TABLE price_lists
  ADD COLUMN source      text NOT NULL DEFAULT 'cli' CHECK (source IN ('cli', 'api')),
  ADD COLUMN object_key  text,
  ADD COLUMN currency    char(3),
  ADD COLUMN duration_ms integer;

-- Barcode-only vendor rows find their ASIN by barcode value, whatever its kind (EAN/UPC/GTIN).
CREATE INDEX product_identifiers_value_idx ON product_identifiers (value);
