import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { setUpOwner, signUp, type TestSession } from "./helpers/auth.js";
import { addMember } from "./helpers/workspaces.js";

interface Message {
  type: string;
  workspaceId?: string;
  data: Record<string, unknown>;
}

let app: TestApp;
let url: string;
/** Instance admin, owner of workspace A. */
let owner: TestSession;
/** A viewer in workspace A (and owner of their own workspace), not an instance admin. */
let member: TestSession;
/** Owner of workspace B, which the others are not in. */
let stranger: TestSession;
let workspaceA: string;
let workspaceB: string;

beforeAll(async () => {
  app = await createTestApp();
  await app.http.listen({ port: 0, host: "127.0.0.1" });
  url = `ws://127.0.0.1:${(app.http.server.address() as AddressInfo).port}/api/v1/ws`;
  owner = await setUpOwner(app);
  member = await addMember(app, owner, "member@example.com", "viewer");
  stranger = await signUp(app, "stranger@example.com");
  workspaceA = owner.workspaceId;
  workspaceB = stranger.workspaceId;
});
afterAll(async () => app?.dispose());

const bearer = (session: TestSession) => ({ authorization: `Bearer ${session.accessToken}` });

/** A connected socket and the messages it received, in order. */
async function connect(headers: Record<string, string>) {
  const socket = new WebSocket(url, { headers });
  const messages: Message[] = [];
  socket.on("message", (raw) => messages.push(JSON.parse(String(raw))));
  await once(socket, "open");
  const waitFor = async (label: string, match: (message: Message) => boolean) => {
    const deadline = Date.now() + 2_000;
    while (Date.now() < deadline) {
      const found = messages.find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no ${label} message; got ${JSON.stringify(messages)}`);
  };
  const next = (type: string) => waitFor(type, (message) => message.type === type);
  const subscribe = async (body: { types?: string[]; workspaceId?: string } = {}) => {
    const before = messages.length;
    socket.send(JSON.stringify({ action: "subscribe", ...body }));
    return waitFor("subscribe answer", (message) => messages.indexOf(message) >= before);
  };
  /** Publishes a marker in a workspace and waits for it: everything published before has arrived. */
  const settle = async (workspaceId: string) => {
    const marker = `marker-${Math.random()}`;
    await app.platform.events.publish({ type: "marker", workspaceId, data: { marker } });
    await waitFor(marker, (message) => message.data.marker === marker);
  };
  return { socket, messages, next, subscribe, settle };
}

/** The HTTP status that refused the upgrade. */
async function refusal(headers: Record<string, string>): Promise<number> {
  const socket = new WebSocket(url, { headers });
  socket.on("error", () => {});
  const [, response] = (await Promise.race([
    once(socket, "unexpected-response"),
    once(socket, "open").then(() => {
      socket.close();
      throw new Error("the upgrade was accepted");
    }),
  ])) as [unknown, { statusCode: number }];
  socket.terminate();
  return response.statusCode;
}

const published = (messages: Message[]) =>
  messages.filter((message) => !["subscribed", "marker", "error"].includes(message.type));

describe("WebSocket /api/v1/ws", () => {
  it("refuses the upgrade without valid credentials", async () => {
    expect(await refusal({})).toBe(401);
    expect(await refusal({ authorization: "Bearer not-a-token" })).toBe(401);
    expect(await refusal({ "x-api-key": "sl_abcdefgh_notarealkeynotarealkeynotarealkey12" })).toBe(401);
    expect(await refusal({ cookie: "sl_access=forged" })).toBe(401);
  });

  it("relays only the subscribed event types and workspace", async () => {
    const client = await connect(bearer(owner));
    await client.subscribe({ types: ["data_processed"], workspaceId: workspaceA });
    expect(client.messages).toEqual([
      expect.objectContaining({
        type: "subscribed",
        data: { types: ["data_processed"], workspaceId: workspaceA },
      }),
    ]);
    await app.platform.events.publish({ type: "job_progress", data: { jobId: "x" } });
    await app.platform.events.publish({ type: "other", workspaceId: workspaceA, data: {} });
    await app.platform.events.publish({ type: "data_processed", workspaceId: workspaceB, data: { rows: 1 } });
    await app.platform.events.publish({ type: "data_processed", workspaceId: workspaceA, data: { rows: 2 } });
    const event = await client.next("data_processed");
    expect(event).toMatchObject({ workspaceId: workspaceA, data: { rows: 2 } });
    expect(client.messages.filter((message) => message.type !== "subscribed")).toHaveLength(1);
    client.socket.close();
  });

  it("gives a member their workspaces' events, never another workspace's", async () => {
    const client = await connect(bearer(member));
    expect((await client.subscribe()).type).toBe("subscribed");
    await app.platform.events.publish({ type: "data_processed", workspaceId: workspaceB, data: { rows: 1 } });
    await app.platform.events.publish({ type: "data_processed", workspaceId: workspaceA, data: { rows: 2 } });
    await client.settle(workspaceA);
    expect(published(client.messages)).toEqual([
      expect.objectContaining({ type: "data_processed", workspaceId: workspaceA, data: { rows: 2 } }),
    ]);
    client.socket.close();
  });

  it("answers a subscription to another workspace with an error", async () => {
    const client = await connect(bearer(member));
    const answer = await client.subscribe({ workspaceId: workspaceB });
    expect(answer).toMatchObject({ type: "error", data: { message: "Workspace not found" } });
    await app.platform.events.publish({ type: "data_processed", workspaceId: workspaceB, data: {} });
    await app.platform.events.publish({ type: "job_progress", data: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.messages.map((message) => message.type)).toEqual(["error"]);
    // The connection stays usable for a workspace of one's own.
    expect((await client.subscribe({ workspaceId: workspaceA })).type).toBe("subscribed");
    client.socket.close();
  });

  it("relays platform events without a workspace to instance admins only", async () => {
    const admin = await connect(bearer(owner));
    const user = await connect(bearer(member));
    await admin.subscribe();
    await user.subscribe();
    await app.platform.events.publish({ type: "job_progress", data: { jobId: "j1", status: "running" } });
    expect((await admin.next("job_progress")).data).toMatchObject({ jobId: "j1", status: "running" });
    await user.settle(workspaceA);
    expect(user.messages.map((message) => message.type)).not.toContain("job_progress");
    admin.socket.close();
    user.socket.close();
  });

  it("gives an API key only its own workspace's events", async () => {
    // The key's creator is in a second workspace and an instance admin: the key is neither.
    const other = await app.http.inject({
      method: "POST",
      url: "/api/v1/workspaces",
      headers: owner.headers,
      payload: { name: "Owner's other" },
    });
    const workspaceC = other.json().id as string;
    const created = await app.http.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: owner.headers,
      payload: { name: "Listener", role: "viewer" },
    });
    const secret = created.json().secret as string;

    const client = await connect({ "x-api-key": secret });
    await client.subscribe();
    await app.platform.events.publish({ type: "data_processed", workspaceId: workspaceC, data: {} });
    await app.platform.events.publish({ type: "job_progress", data: {} });
    await app.platform.events.publish({ type: "data_processed", workspaceId: workspaceA, data: { rows: 3 } });
    await client.settle(workspaceA);
    expect(published(client.messages)).toEqual([
      expect.objectContaining({ type: "data_processed", workspaceId: workspaceA, data: { rows: 3 } }),
    ]);
    expect((await client.subscribe({ workspaceId: workspaceC })).type).toBe("error");
    client.socket.close();

    const viaBearer = await connect({ authorization: `Bearer ${secret}` });
    expect((await viaBearer.subscribe({ workspaceId: workspaceA })).type).toBe("subscribed");
    viaBearer.socket.close();
  });

  it("accepts the web app's cookie from its own origin, refuses it from another site", async () => {
    const cookie = `sl_access=${member.accessToken}`;
    const host = new URL(url).host;
    expect(await refusal({ cookie, origin: "https://evil.example" })).toBe(403);
    const client = await connect({ cookie, origin: `http://${host}` });
    expect((await client.subscribe({ workspaceId: workspaceA })).type).toBe("subscribed");
    client.socket.close();
    // A program sending a token is not a browser tricked by another site: the origin does not matter.
    const program = await connect({ ...bearer(member), origin: "https://evil.example" });
    expect((await program.subscribe()).type).toBe("subscribed");
    program.socket.close();
  });

  it("checks memberships again on every subscription", async () => {
    const leaver = await addMember(app, owner, "leaver@example.com", "viewer");
    const client = await connect(bearer(leaver));
    expect((await client.subscribe({ workspaceId: workspaceA })).type).toBe("subscribed");
    const removed = await app.http.inject({
      method: "DELETE",
      url: `/api/v1/members/${leaver.user.id}`,
      headers: owner.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect((await client.subscribe({ workspaceId: workspaceA })).type).toBe("error");
    await client.subscribe();
    await app.platform.events.publish({ type: "data_processed", workspaceId: workspaceA, data: {} });
    const own = await app.http.inject({ method: "GET", url: "/api/v1/workspaces", headers: bearer(leaver) });
    await client.settle(own.json().items[0].id);
    expect(published(client.messages)).toEqual([]);
    client.socket.close();
  });

  it("answers a malformed message with an error event and keeps the connection", async () => {
    const client = await connect(bearer(member));
    client.socket.send("not json");
    expect((await client.next("error")).data.message).toMatch(/subscribe/);
    client.socket.send(JSON.stringify({ action: "ping" }));
    await client.next("pong");
    client.socket.close();
  });

  it("sends nothing before a subscription or after unsubscribing", async () => {
    const client = await connect(bearer(owner));
    await app.platform.events.publish({ type: "job_progress", data: {} });
    await app.platform.events.publish({ type: "data_processed", workspaceId: workspaceA, data: {} });
    client.socket.send(JSON.stringify({ action: "subscribe" }));
    await client.next("subscribed");
    client.socket.send(JSON.stringify({ action: "unsubscribe" }));
    await client.next("unsubscribed");
    await app.platform.events.publish({ type: "job_progress", data: {} });
    await app.platform.events.publish({ type: "data_processed", workspaceId: workspaceA, data: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.messages.map((message) => message.type)).toEqual(["subscribed", "unsubscribed"]);
    client.socket.close();
  });
});
