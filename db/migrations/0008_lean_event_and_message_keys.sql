-- One index fewer per event and per queued message, and dedupe keys compared bytewise (decision 018): a SKU
-- fan-out writes them by the 100,000.
ALTER TABLE "events" DROP CONSTRAINT "events_dedupe_key_unique";--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_dedupe_key_unique";--> statement-breakpoint
DROP INDEX "events_order_idx";--> statement-breakpoint
DROP INDEX "notifications_order_idx";--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "dedupe_key" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "dedupe_key" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
CREATE UNIQUE INDEX "events_order_dedupe_idx" ON "events" USING btree ("order_id","dedupe_key");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_order_dedupe_idx" ON "notifications" USING btree ("order_id","dedupe_key");