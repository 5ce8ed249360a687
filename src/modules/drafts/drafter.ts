import type { Thread } from "./drafts.tables.js";

export interface Guidelines {
  tone: string;
  signature: string;
  dos: string[];
  donts: string[];
}

export interface DraftOutput {
  subject: string;
  body: string;
  summaryOfChanges: string;
}

export interface DraftInput {
  thread: Thread;
  guidelines: Guidelines;
  previous?: DraftOutput;
  feedback?: string;
}

const firstName = (sender: string) => {
  const name = sender
    .replace(/<[^>]*>/g, "")
    .replace(/@.*$/, "")
    .trim();
  const word = name.split(/[\s._-]+/)[0] ?? "";
  return word ? word.charAt(0).toUpperCase() + word.slice(1) : "there";
};

/** The questions a message asks: its sentences that end with a question mark. */
function questionsOf(text: string): string[] {
  return (text.match(/[^.!?\n]*\?/g) ?? [])
    .map((question) => question.trim())
    .filter((question) => question.length > 3);
}

const reSubject = (subject: string | null) =>
  subject ? (/^re:/i.test(subject) ? subject : `Re: ${subject}`) : "Re: your message";

/** A first reply to the last client message: greeting, each question acknowledged, next steps, signature. */
function firstDraft(thread: Thread, guidelines: Guidelines): DraftOutput {
  const last =
    [...thread.messages].reverse().find((message) => message.role === "client") ?? thread.messages.at(-1);
  const formal = /formal/i.test(guidelines.tone);
  const greeting = `${formal ? "Dear" : "Hi"} ${firstName(last?.sender ?? "")},`;
  const questions = questionsOf(last?.content ?? "");
  const lines = [greeting, "", "Thank you for your message."];
  if (questions.length) {
    lines.push("", questions.length === 1 ? "About your question:" : "About your questions:");
    for (const question of questions)
      lines.push(`- "${question}" — we are looking into it and will come back to you with an answer.`);
  }
  lines.push("", "Next steps: we will review the details and get back to you within one business day.");
  for (const rule of guidelines.dos) lines.push(rule);
  lines.push("", formal ? "Kind regards," : "Best,");
  if (guidelines.signature) lines.push(guidelines.signature);
  return { subject: reSubject(thread.subject), body: lines.join("\n"), summaryOfChanges: "First draft." };
}

/**
 * The instructions a feedback gives that the offline drafter can follow: shorter, more formal,
 * friendlier, mention X, remove Y. Each applied one is named in the summary of changes.
 */
function revise(previous: DraftOutput, feedback: string, guidelines: Guidelines): DraftOutput {
  let body = previous.body;
  const applied: string[] = [];
  const lower = feedback.toLowerCase();
  if (/\b(shorter|more concise|too long|brief)\b/.test(lower)) {
    const lines = body.split("\n");
    const kept = lines.filter(
      (line) => !line.startsWith("- ") && !/^next steps/i.test(line) && !/^about your question/i.test(line),
    );
    body = kept.join("\n").replace(/\n{3,}/g, "\n\n");
    applied.push("made it shorter");
  }
  if (/\b(more formal|formal)\b/.test(lower)) {
    body = body.replace(/^Hi /m, "Dear ").replace(/^Best,$/m, "Kind regards,");
    applied.push("made it more formal");
  }
  if (/\b(friendlier|less formal|more casual|warmer)\b/.test(lower)) {
    body = body.replace(/^Dear /m, "Hi ").replace(/^Kind regards,$/m, "Best,");
    applied.push("made it friendlier");
  }
  for (const match of feedback.matchAll(/\b(?:mention|add|include|say)\s+(?:that\s+)?(.+?)(?:[.;]|$)/gi)) {
    const point = (match[1] ?? "").trim();
    if (!point) continue;
    const sentence = point.charAt(0).toUpperCase() + point.slice(1);
    const closing = body.search(/^(Best,|Kind regards,)$/m);
    body =
      closing >= 0
        ? `${body.slice(0, closing)}${sentence}${/[.!?]$/.test(sentence) ? "" : "."}\n\n${body.slice(closing)}`
        : `${body}\n\n${sentence}.`;
    applied.push(`mentioned "${point}"`);
  }
  for (const match of feedback.matchAll(
    /\b(?:remove|drop|delete|don't mention|do not mention)\s+(?:the\s+)?(.+?)(?:[.;]|$)/gi,
  )) {
    const point = (match[1] ?? "").trim().toLowerCase();
    if (!point) continue;
    const lines = body.split("\n");
    const kept = lines.filter((line) => !line.toLowerCase().includes(point));
    if (kept.length < lines.length) {
      body = kept.join("\n").replace(/\n{3,}/g, "\n\n");
      applied.push(`removed "${point}"`);
    }
  }
  if (guidelines.signature && !body.includes(guidelines.signature)) body = `${body}\n${guidelines.signature}`;
  return {
    subject: previous.subject,
    body,
    summaryOfChanges: applied.length
      ? `Applied: ${applied.join("; ")}.`
      : "No instruction in the feedback could be applied automatically; the draft is unchanged.",
  };
}

/** The offline drafter: deterministic, no network. */
export function offlineDraft(input: DraftInput): DraftOutput {
  if (input.previous && input.feedback) return revise(input.previous, input.feedback, input.guidelines);
  return firstDraft(input.thread, input.guidelines);
}
