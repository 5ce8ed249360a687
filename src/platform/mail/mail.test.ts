import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, hasPostgres } from "../../../test/helpers/services.js";
import { type Database, openDatabase } from "../db/index.js";
import { Invalid, Upstream } from "../errors.js";
import { createLogger } from "../log.js";
import { createMetrics } from "../metrics.js";
import { createMailer, type Mailer, type MailerOptions } from "./index.js";
import { mailMessages } from "./mail.tables.js";

interface Target {
  name: string;
  open(): Promise<{ database: Database; cleanup(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: "PGlite",
    async open() {
      const dataDir = mkdtempSync(path.join(tmpdir(), "sightline-mail-"));
      const database = await openDatabase({ dataDir });
      return { database, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
];
if (await hasPostgres()) {
  targets.push({
    name: "PostgreSQL",
    async open() {
      const created = await createTestDatabase();
      const database = await openDatabase({ databaseUrl: created.url, dataDir: "/nonexistent" });
      return { database, cleanup: () => created.drop() };
    },
  });
}

interface Received {
  from: string;
  to: string[];
  user: unknown;
  raw: string;
}

/** A real SMTP server on loopback that keeps what it receives and refuses chosen recipients. */
async function startSmtpServer(auth?: { user: string; pass: string }) {
  const received: Received[] = [];
  const rejected = new Set<string>();
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ["STARTTLS"],
    authOptional: !auth,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    closeTimeout: 100,
    onAuth(login, _session, callback) {
      if (auth && login.username === auth.user && login.password === auth.pass) {
        callback(null, { user: login.username });
      } else {
        callback(new Error("Invalid username or password"));
      }
    },
    onRcptTo(address, _session, callback) {
      if (!rejected.has(address.address)) return callback();
      callback(Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const { mailFrom, rcptTo } = session.envelope;
        received.push({
          from: mailFrom ? mailFrom.address : "",
          to: rcptTo.map((rcpt) => rcpt.address),
          user: session.user,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    rejected,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const log = createLogger({ level: "silent" });
const metrics = createMetrics();
const from = "Sightline <sightline@example.com>";
const message = { to: "ann@example.com", subject: "Hello", text: "Plain body" };

describe.each(targets)("mail on $name", (target) => {
  let database: Database;
  let cleanup: () => Promise<void>;
  const mailers: Mailer[] = [];

  async function mailer(options: Partial<MailerOptions> = {}) {
    const created = await createMailer({ db: database.db, log, metrics, from, ...options });
    mailers.push(created);
    return created;
  }
  const rows = () => database.db.select().from(mailMessages);

  beforeAll(async () => {
    ({ database, cleanup } = await target.open());
    await database.migrate();
  });
  beforeEach(async () => {
    await database.db.delete(mailMessages);
  });
  afterEach(async () => {
    for (const created of mailers.splice(0)) await created.close();
  });
  afterAll(async () => {
    await database?.close();
    await cleanup?.();
  });

  describe("outbox transport", () => {
    it("stores the message with its recipients, bodies and attachment metadata", async () => {
      const outbox = await mailer();
      const before =
        (await metrics.mailSent.get()).values.find((v) => v.labels.outcome === "stored")?.value ?? 0;
      const record = await outbox.send({
        to: ["Ann Example <ann@example.com>", "bob@example.com"],
        cc: "carol@example.com",
        subject: "Weekly report",
        text: "The numbers are in.",
        html: "<p>The numbers are in.</p>",
        template: "weekly",
        attachments: [
          { filename: "report.csv", content: "a,b\n1,2\n", contentType: "text/csv" },
          { filename: "chart.png", content: Buffer.alloc(2048, 1), contentType: "image/png", cid: "chart" },
        ],
      });

      expect(outbox.transport).toBe("outbox");
      expect(record).toMatchObject({
        transport: "outbox",
        status: "stored",
        from,
        to: ["ann@example.com", "bob@example.com"],
        cc: ["carol@example.com"],
        subject: "Weekly report",
        text: "The numbers are in.",
        html: "<p>The numbers are in.</p>",
        template: "weekly",
        attachments: [
          { filename: "report.csv", contentType: "text/csv", size: 8 },
          { filename: "chart.png", contentType: "image/png", size: 2048 },
        ],
        error: null,
      });
      expect(record.messageId).toMatch(/^<.+@example\.com>$/);
      expect(record.sentAt).toBeInstanceOf(Date);
      expect(await outbox.get(record.id)).toEqual(record);
      expect((await outbox.list({ limit: 10 })).items).toEqual([record]);
      const after = (await metrics.mailSent.get()).values.find((v) => v.labels.outcome === "stored")?.value;
      expect(after).toBe(before + 1);
    });

    it("lists newest first in pages, and filters by recipient", async () => {
      const outbox = await mailer();
      const sent = [];
      for (let i = 0; i < 5; i++) {
        sent.push(await outbox.send({ ...message, to: i % 2 ? "odd@example.com" : "Even@Example.com" }));
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await outbox.list({ limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(5);
      expect(new Set(seen)).toEqual(new Set(sent.map((record) => record.id)));
      const times = (await outbox.list({ limit: 5 })).items.map((item) => item.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const even = await outbox.list({ limit: 10, to: "even@example" });
      expect(even.items.map((item) => item.to)).toEqual([
        ["Even@Example.com"],
        ["Even@Example.com"],
        ["Even@Example.com"],
      ]);
      expect((await outbox.list({ limit: 10, to: "nobody@example.com" })).items).toEqual([]);
      await expect(outbox.list({ limit: 10, cursor: "not-a-cursor" })).rejects.toThrow(Invalid);
    });

    it("returns the earlier record for a key already used, and writes one row", async () => {
      const outbox = await mailer();
      const first = await outbox.send({ ...message, idempotencyKey: "welcome:ann" });
      const again = await outbox.send({ ...message, subject: "Changed", idempotencyKey: "welcome:ann" });
      expect(again).toEqual(first);
      expect(await rows()).toHaveLength(1);
    });

    it("writes one row when the same key is sent concurrently", async () => {
      const outbox = await mailer();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => outbox.send({ ...message, idempotencyKey: "digest:2024-05-01" })),
      );
      expect(new Set(results.map((record) => record.id)).size).toBe(1);
      expect(await rows()).toHaveLength(1);
    });

    it.each([
      ["no recipient", { ...message, to: [] }],
      ["an empty recipient", { ...message, to: "" }],
      ["a malformed address", { ...message, to: "not an address" }],
      ["one bad address in a list", { ...message, to: "ann@example.com, bob@" }],
      ["a bad cc", { ...message, cc: ["ann@@example.com"] }],
      ["a blank subject", { ...message, subject: "  \n " }],
      ["an empty idempotency key", { ...message, idempotencyKey: "" }],
    ])("refuses %s as Invalid and stores nothing", async (_case, input) => {
      const outbox = await mailer();
      await expect(outbox.send(input)).rejects.toThrow(Invalid);
      expect(await rows()).toHaveLength(0);
    });

    it("answers verify with a database ping, and get with undefined for unknown ids", async () => {
      const outbox = await mailer();
      await expect(outbox.verify()).resolves.toBeUndefined();
      expect(await outbox.get("0b6f1f3e-2a4e-4f7a-9b43-6d1c5a2e8f10")).toBeUndefined();
      expect(await outbox.get("not-a-uuid")).toBeUndefined();
    });
  });

  describe("SMTP transport", () => {
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    const smtpMailer = () => mailer({ smtp: { host: "127.0.0.1", port: smtp.port, secure: false } });

    beforeAll(async () => {
      smtp = await startSmtpServer();
    });
    beforeEach(() => {
      smtp.received.length = 0;
      smtp.rejected.clear();
    });
    afterAll(async () => {
      await smtp?.close();
    });

    it("delivers the message and records it as sent with its Message-ID", async () => {
      const mail = await smtpMailer();
      const record = await mail.send({
        to: "Ann Example <ann@example.com>",
        cc: "carol@example.com",
        subject: "Weekly report",
        text: "The numbers are in.",
        html: "<p>The <b>numbers</b> are in.</p>",
        attachments: [{ filename: "report.csv", content: "a,b\n1,2\n", contentType: "text/csv" }],
      });

      expect(record).toMatchObject({
        transport: "smtp",
        status: "sent",
        error: null,
        to: ["ann@example.com"],
      });
      expect(record.sentAt).toBeInstanceOf(Date);
      expect(await mail.get(record.id)).toEqual(record);
      expect(smtp.received).toHaveLength(1);
      const [delivered] = smtp.received;
      expect(delivered?.from).toBe("sightline@example.com");
      expect(delivered?.to).toEqual(["ann@example.com", "carol@example.com"]);
      const raw = delivered?.raw ?? "";
      expect(raw).toContain(`Message-ID: ${record.messageId}`);
      expect(raw).toContain("Subject: Weekly report");
      expect(raw).toContain("To: Ann Example <ann@example.com>");
      expect(raw).toContain("Cc: carol@example.com");
      expect(raw).toMatch(/Content-Type: text\/plain[\s\S]*The numbers are in\./);
      expect(raw).toMatch(/Content-Type: text\/html[\s\S]*<p>The <b>numbers<\/b> are in\.<\/p>/);
      expect(raw).toContain("filename=report.csv");
    });

    it("marks the message failed and throws Upstream with the server's reply, then a retry sends it", async () => {
      const mail = await smtpMailer();
      smtp.rejected.add("bounce@example.com");
      const input = { ...message, to: "bounce@example.com", idempotencyKey: "alert:42" };
      const error = await mail.send(input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Upstream);
      expect((error as Upstream).message).toContain("550 Mailbox bounce@example.com unavailable");
      const [failed] = await rows();
      expect(failed).toMatchObject({ status: "failed", sentAt: null });
      expect(failed?.error).toContain("Mailbox bounce@example.com unavailable");
      expect(smtp.received).toHaveLength(0);

      smtp.rejected.clear();
      const retried = await mail.send(input);
      expect(retried).toMatchObject({ id: failed?.id, status: "sent", error: null });
      expect(smtp.received).toHaveLength(1);
      expect(await rows()).toHaveLength(1);
    });

    it("records recipients the server refused when others accepted the message", async () => {
      const mail = await smtpMailer();
      smtp.rejected.add("gone@example.com");
      const record = await mail.send({ ...message, to: ["ann@example.com", "gone@example.com"] });
      expect(record.status).toBe("sent");
      expect(record.error).toBe("Rejected recipients: gone@example.com");
      expect(smtp.received[0]?.to).toEqual(["ann@example.com"]);
    });

    it("does not send again a message whose earlier send may have gone out", async () => {
      const mail = await smtpMailer();
      const [sending] = await database.db
        .insert(mailMessages)
        .values({
          ...message,
          to: [message.to],
          idempotencyKey: "report:7",
          transport: "smtp",
          status: "sending",
          from,
        })
        .returning();
      const record = await mail.send({ ...message, idempotencyKey: "report:7" });
      expect(record).toMatchObject({ id: sending?.id, status: "sending" });
      expect(smtp.received).toHaveLength(0);
    });

    it("sends once when the same key is sent concurrently", async () => {
      const mail = await smtpMailer();
      const results = await Promise.all(
        Array.from({ length: 5 }, () => mail.send({ ...message, idempotencyKey: "invite:bob" })),
      );
      expect(new Set(results.map((record) => record.id)).size).toBe(1);
      expect(smtp.received).toHaveLength(1);
      const [row] = await rows();
      expect(row?.status).toBe("sent");
    });

    it("verifies the connection, and reports a server that does not answer", async () => {
      await expect((await smtpMailer()).verify()).resolves.toBeUndefined();
      const closed = await startSmtpServer();
      await closed.close();
      const unreachable = await mailer({ smtp: { host: "127.0.0.1", port: closed.port, secure: false } });
      await expect(unreachable.verify()).rejects.toThrow(Upstream);
    });

    it("logs in with the configured user and password", async () => {
      const authed = await startSmtpServer({ user: "sightline", pass: "s3cret" });
      try {
        const smtpOptions = { host: "127.0.0.1", port: authed.port, secure: false, user: "sightline" };
        const good = await mailer({ smtp: { ...smtpOptions, password: "s3cret" } });
        expect((await good.send(message)).status).toBe("sent");
        expect(authed.received.map((item) => item.user)).toEqual(["sightline"]);

        const bad = await mailer({ smtp: { ...smtpOptions, password: "wrong" } });
        await expect(bad.send(message)).rejects.toThrow(/Invalid username or password/);
        expect(authed.received).toHaveLength(1);
        expect((await rows()).map((row) => row.status).sort()).toEqual(["failed", "sent"]);
      } finally {
        for (const created of mailers.splice(0)) await created.close();
        await authed.close();
      }
    });
  });
});
