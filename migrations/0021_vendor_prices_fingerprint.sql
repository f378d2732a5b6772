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
