-- Each session takes event ids 1,000 at a time: two lanes of a SKU fan-out otherwise take every id from one sequence
-- and add every row at the same right-hand page of the primary key (decision 018). An order's events are read in
-- `occurred_at` order (one transaction's events keep their id order). Message ids stay uncached: staff lists and the
-- compliance trail read messages in id order as the order they were created.
ALTER SEQUENCE "events_id_seq" CACHE 1000;
