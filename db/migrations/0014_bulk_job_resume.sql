ALTER TABLE "bulk_jobs" ADD COLUMN "runner" text;--> statement-breakpoint
ALTER TABLE "bulk_jobs" ADD COLUMN "resumed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bulk_jobs" ADD COLUMN "resumes" integer DEFAULT 0 NOT NULL;