ALTER TABLE "order_lines" ADD COLUMN "compliance" jsonb DEFAULT '{"notices":[],"answers":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "ship_by" date;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "awaiting_consent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "breakdown" jsonb;--> statement-breakpoint
CREATE INDEX "order_lines_open_ship_by_idx" ON "order_lines" USING btree ("ship_by") WHERE status in ('waiting', 'ready');--> statement-breakpoint
UPDATE "order_lines" SET "ship_by" = "applicable_time" WHERE "ship_by" IS NULL;