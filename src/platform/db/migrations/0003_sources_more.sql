CREATE TABLE "relationships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"from_table" text NOT NULL,
	"from_column" text NOT NULL,
	"to_table" text NOT NULL,
	"to_column" text NOT NULL,
	"origin" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"confidence" real,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sources" ALTER COLUMN "file_name" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sources" ALTER COLUMN "size_bytes" SET DEFAULT 0;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "mode" text;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "connection" text;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "connection_summary" jsonb;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "refresh_cron" text;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "last_refreshed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "row_policy" text DEFAULT 'reject' NOT NULL;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "rejected_rows" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "quarantine_file" text;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "profile" jsonb;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "quality" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "relationships_pair_idx" ON "relationships" USING btree ("workspace_id","from_table","from_column","to_table","to_column");