ALTER TABLE "events" DROP CONSTRAINT "events_order_id_orders_id_fk";
--> statement-breakpoint
ALTER TABLE "events" DROP CONSTRAINT "events_line_id_order_lines_id_fk";
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_event_id_events_id_fk";
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_order_id_orders_id_fk";
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_customer_id_customers_id_fk";
--> statement-breakpoint
DROP INDEX "notifications_batch_idx";--> statement-breakpoint
DROP INDEX "notifications_provider_idx";--> statement-breakpoint
CREATE INDEX "notifications_batch_idx" ON "notifications" USING btree ("batch_key") WHERE batch_key is not null;--> statement-breakpoint
CREATE INDEX "notifications_provider_idx" ON "notifications" USING btree ("provider_message_id") WHERE provider_message_id is not null;