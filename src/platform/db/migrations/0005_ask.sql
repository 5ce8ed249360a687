CREATE TABLE "ask_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"question" text NOT NULL,
	"source_id" uuid,
	"answer" jsonb,
	"error" jsonb,
	"duration_ms" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ask_conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ask_queries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"question" text NOT NULL,
	"sql" text NOT NULL,
	"source_id" uuid,
	"answer_id" uuid,
	"favorite" boolean DEFAULT false NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"verified" boolean DEFAULT false NOT NULL,
	"verified_by" uuid,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ask_answers" ADD CONSTRAINT "ask_answers_conversation_id_ask_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."ask_conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ask_answers_conversation_idx" ON "ask_answers" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "ask_conversations_user_idx" ON "ask_conversations" USING btree ("workspace_id","user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "ask_queries_user_idx" ON "ask_queries" USING btree ("workspace_id","user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "ask_queries_verified_idx" ON "ask_queries" USING btree ("workspace_id","verified");