-- vendor_prices.price_list_id only says which import last touched a row. Its foreign key made every
-- imported row look up price_lists (4–6 s per million rows, a third of a first import), and
-- price lists are removed only with their vendor, whose rows go with it (ON DELETE CASCADE).
ALTER TABLE vendor_prices DROP CONSTRAINT vendor_prices_price_list_id_fkey;
