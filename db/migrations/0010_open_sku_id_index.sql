-- A SKU fan-out walks the SKU's open lines in id order, a chunk at a time. On an index of the SKU alone it read the
-- primary key from the chunk's first id and skipped other SKUs' lines, so its last chunks read to the end of the
-- table (100 ms on PGlite, all requests waiting). With the id in the index each chunk reads only its own lines
-- (decision 019).
DROP INDEX "order_lines_open_sku_idx";--> statement-breakpoint
CREATE INDEX "order_lines_open_sku_id_idx" ON "order_lines" USING btree ("sku","id") WHERE status in ('waiting', 'ready');