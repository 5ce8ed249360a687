ALTER TABLE "ask_answers" ADD COLUMN "edited" jsonb;--> statement-breakpoint
ALTER TABLE "ask_queries" ADD COLUMN "saved" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "ask_queries_answer_idx" ON "ask_queries" USING btree ("workspace_id","answer_id");--> statement-breakpoint
-- Pairs posted before `saved` existed have no answer: they were saved, not recorded as history.
UPDATE "ask_queries" SET "saved" = true WHERE "answer_id" IS NULL;
