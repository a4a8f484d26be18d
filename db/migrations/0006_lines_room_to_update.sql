-- Leave 40 % of each order_lines page free, so that an ETA move (which changes no indexed column) can write the new
-- row version on the same page: a heap-only update that touches none of the table's four indexes (decision 015).
-- Applies to pages written from now on; existing pages get the room as they are rewritten.
ALTER TABLE "order_lines" SET (fillfactor = 60);
