ALTER TABLE "order_lines" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "payment" jsonb;--> statement-breakpoint
ALTER TABLE "store_settings" ADD COLUMN "order_confirmation" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "order_lines_order_external_id_idx" ON "order_lines" USING btree ("order_id","external_id");