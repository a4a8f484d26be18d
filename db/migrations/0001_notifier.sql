CREATE TABLE "dev_mailbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"notification_id" bigint,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"sender" text NOT NULL,
	"subject" text,
	"text" text NOT NULL,
	"html" text,
	"segments" integer,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_slots" (
	"key" text PRIMARY KEY NOT NULL,
	"next_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_receipts" (
	"provider" text NOT NULL,
	"receipt_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_receipts_provider_receipt_id_pk" PRIMARY KEY("provider","receipt_id")
);
--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "payload" SET DEFAULT '{"events":[]}'::jsonb;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "rendered" jsonb;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "batch_key" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "retry_safe" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX "notifications_lease_idx" ON "notifications" USING btree ("lease_until") WHERE status = 'sending';--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_coalesce_idx" ON "notifications" USING btree ("order_id","channel") WHERE status = 'queued' and not required;--> statement-breakpoint
CREATE INDEX "notifications_batch_idx" ON "notifications" USING btree ("batch_key");