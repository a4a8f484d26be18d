-- A delay notice moves a line's ship-by date, and while `ship_by` was indexed every such update wrote a new entry in
-- all four of the table's indexes. The sweep's index is now on `check_by`: a date never after `ship_by`, which the
-- triggers below lower whenever `ship_by` would pass it and the sweep raises to `ship_by` when it finds it stale.
-- A fan-out that moves `ship_by` later changes no indexed column, so its update can stay on the page (heap-only), and
-- the lower fill factor leaves room on the page for a line's new version even when all its rows move at once
-- (decision 020). The backfill rewrites every line: on a large table, run it in a quiet hour.
ALTER TABLE "order_lines" ADD COLUMN "check_by" date;--> statement-breakpoint
CREATE FUNCTION "order_lines_lower_check_by"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.check_by := least(NEW.check_by, NEW.ship_by);
  RETURN NEW;
END
$$;--> statement-breakpoint
-- The WHEN clauses run without calling the function, so rows that keep the invariant (a fan-out's) pay almost nothing.
CREATE TRIGGER "order_lines_check_by_on_insert" BEFORE INSERT ON "order_lines" FOR EACH ROW
  WHEN (NEW.ship_by IS NOT NULL AND (NEW.check_by IS NULL OR NEW.check_by > NEW.ship_by))
  EXECUTE FUNCTION "order_lines_lower_check_by"();--> statement-breakpoint
CREATE TRIGGER "order_lines_check_by_on_update" BEFORE UPDATE OF "ship_by", "check_by" ON "order_lines" FOR EACH ROW
  WHEN (NEW.ship_by IS NOT NULL AND (NEW.check_by IS NULL OR NEW.check_by > NEW.ship_by))
  EXECUTE FUNCTION "order_lines_lower_check_by"();--> statement-breakpoint
UPDATE "order_lines" SET "check_by" = "ship_by" WHERE "ship_by" IS NOT NULL;--> statement-breakpoint
DROP INDEX "order_lines_open_ship_by_idx";--> statement-breakpoint
CREATE INDEX "order_lines_open_check_by_idx" ON "order_lines" USING btree ("check_by") WHERE status in ('waiting', 'ready');--> statement-breakpoint
ALTER TABLE "order_lines" SET (fillfactor = 30);
