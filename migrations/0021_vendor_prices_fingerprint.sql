-- Re-imports skip unchanged rows before they reach the database (SPEC §3): each row keeps the 64-bit
-- fingerprint of the price-list row that last wrote it, and the importer compares the next file's
-- rows with the vendor's stored fingerprints in memory. Only new and changed rows are staged and
-- merged, so a 1 % change no longer reads and compares the whole vendor's rows in SQL.
ALTER TABLE vendor_prices ADD COLUMN row_fp bigint;

-- A fingerprint vouches for a row only while the importer's write is the last: any other update
-- that does not set a new fingerprint clears it, so that row is compared in full next time.
CREATE FUNCTION vendor_prices_clear_fp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.row_fp := NULL;
  RETURN NEW;
END $$;

CREATE TRIGGER vendor_prices_clear_fp BEFORE UPDATE ON vendor_prices FOR EACH ROW
  WHEN (NEW.row_fp IS NOT DISTINCT FROM OLD.row_fp AND OLD.row_fp IS NOT NULL)
  EXECUTE FUNCTION vendor_prices_clear_fp();

-- One barcode index instead of two. vendor_prices_barcode_idx (every barcode) served no query; the
-- ROI's index (asin-less rows, by padded GTIN) now holds every row with a barcode, so it also finds
-- the rows whose ASIN a barcode gave (the trigger below). Each index costs a first import of a
-- million barcode rows some 3–4 s of row-by-row maintenance.
DROP INDEX vendor_prices_barcode_idx;
DROP INDEX vendor_prices_gtin_idx;
CREATE INDEX vendor_prices_gtin_idx ON vendor_prices (lpad(barcode, 14, '0')) WHERE barcode IS NOT NULL;

-- A row that names a barcode but no ASIN takes its ASIN from product_identifiers at import: once a
-- barcode's ASIN changes, the rows with that barcode must be compared in full at the next import.
CREATE FUNCTION vendor_prices_forget_barcodes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  rows_of text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    UPDATE vendor_prices SET row_fp = NULL WHERE row_fp IS NOT NULL;
    RETURN NULL;
  END IF;
  -- by padded GTIN, through the index above: the import matches a barcode as written, so this finds
  -- every row a changed mapping can reach, and some more
  FOREACH rows_of IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                      ELSE ARRAY['old_rows', 'new_rows'] END LOOP
    EXECUTE format('UPDATE vendor_prices SET row_fp = NULL'
                   ' WHERE lpad(barcode, 14, ''0'') IN (SELECT lpad(value, 14, ''0'') FROM %I)'
                   ' AND barcode IS NOT NULL AND row_fp IS NOT NULL', rows_of);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER vendor_prices_forget_ins AFTER INSERT ON product_identifiers REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION vendor_prices_forget_barcodes();
CREATE TRIGGER vendor_prices_forget_upd AFTER UPDATE ON product_identifiers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION vendor_prices_forget_barcodes();
CREATE TRIGGER vendor_prices_forget_del AFTER DELETE ON product_identifiers REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION vendor_prices_forget_barcodes();
CREATE TRIGGER vendor_prices_forget_trunc AFTER TRUNCATE ON product_identifiers
  FOR EACH STATEMENT EXECUTE FUNCTION vendor_prices_forget_barcodes();

-- The vendor of a price row, checked per statement instead of per row. The foreign key looked up
-- vendors once for every inserted row (a first import of a million rows: 3–6 s); this trigger
-- looks up each distinct vendor of a statement once, locking it as the key did (FOR KEY SHARE), so
-- a concurrent delete of the vendor still waits for the import, then removes its rows.
ALTER TABLE vendor_prices DROP CONSTRAINT vendor_prices_vendor_id_fkey;

CREATE FUNCTION vendor_prices_check_vendor() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing bigint;
BEGIN
  PERFORM 1 FROM vendors WHERE id IN (SELECT DISTINCT vendor_id FROM new_rows) FOR KEY SHARE;
  SELECT n.vendor_id INTO missing FROM (SELECT DISTINCT vendor_id FROM new_rows) n
  WHERE NOT EXISTS (SELECT 1 FROM vendors v WHERE v.id = n.vendor_id) LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('vendor_prices: vendor %s does not exist', missing),
      CONSTRAINT = 'vendor_prices_vendor_id_fkey', TABLE = 'vendor_prices', COLUMN = 'vendor_id';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER vendor_prices_check_vendor_ins AFTER INSERT ON vendor_prices REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION vendor_prices_check_vendor();
CREATE TRIGGER vendor_prices_check_vendor_upd AFTER UPDATE ON vendor_prices REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION vendor_prices_check_vendor();

-- ON DELETE CASCADE and TRUNCATE … CASCADE, as the key gave them.
CREATE FUNCTION vendors_drop_prices() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    -- not TRUNCATE: the truncate that fired this may already be truncating vendor_price_history
    DELETE FROM vendor_prices;
  ELSE
    DELETE FROM vendor_prices WHERE vendor_id IN (SELECT id FROM old_rows);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER vendors_drop_prices_del AFTER DELETE ON vendors REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION vendors_drop_prices();
CREATE TRIGGER vendors_drop_prices_trunc AFTER TRUNCATE ON vendors
  FOR EACH STATEMENT EXECUTE FUNCTION vendors_drop_prices();

-- Price rows note what they change for the ROI update (migration 0020) by ASIN and barcode. A
-- statement that writes more rows than awa.roi_bulk_rows (default 100,000: a vendor's first list, a
-- big re-price) notes its vendors instead: collecting a million ASIN keys cost seconds, and the update
-- reads a vendor key as every offer of that vendor, before and after.
CREATE FUNCTION roi_note_prices() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bulk bigint := coalesce(nullif(current_setting('awa.roi_bulk_rows', true), '')::bigint, 100000);
  rows_of text;
  many boolean;
BEGIN
  FOREACH rows_of IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                      ELSE ARRAY['old_rows', 'new_rows'] END LOOP
    EXECUTE format('SELECT count(*) > $1 FROM (SELECT FROM %I LIMIT $1 + 1) x', rows_of) INTO many USING bulk;
    IF many THEN
      EXECUTE format('INSERT INTO roi_changes (kind, key) SELECT DISTINCT ''vendor'', vendor_id::text FROM %I',
                     rows_of);
    ELSE
      EXECUTE format('INSERT INTO roi_changes (kind, key) SELECT DISTINCT ''asin'', asin FROM %I'
                     ' WHERE asin IS NOT NULL', rows_of);
      EXECUTE format('INSERT INTO roi_changes (kind, key) SELECT DISTINCT ''gtin'', lpad(barcode, 14, ''0'')'
                     ' FROM %I WHERE asin IS NULL AND barcode ~ ''^[0-9]{8,14}$''', rows_of);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;

DROP TRIGGER roi_note_ins ON vendor_prices;
DROP TRIGGER roi_note_upd ON vendor_prices;
DROP TRIGGER roi_note_del ON vendor_prices;
CREATE TRIGGER roi_note_ins AFTER INSERT ON vendor_prices REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roi_note_prices();
CREATE TRIGGER roi_note_upd AFTER UPDATE ON vendor_prices REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roi_note_prices();
CREATE TRIGGER roi_note_del AFTER DELETE ON vendor_prices REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roi_note_prices();
