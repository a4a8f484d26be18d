-- Each session takes event and message ids 1,000 at a time: two lanes of a SKU fan-out otherwise take every id from
-- one sequence and add every row at the same right-hand page of the primary key (decision 018). Ids keep their order
-- within a session; across sessions they never promised commit order.
ALTER SEQUENCE "events_id_seq" CACHE 1000;--> statement-breakpoint
ALTER SEQUENCE "notifications_id_seq" CACHE 1000;
