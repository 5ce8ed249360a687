import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createTestApp, type TestApp } from "./helpers/app.js";

let app: TestApp;
let url: string;

beforeAll(async () => {
  app = await createTestApp();
  await app.http.listen({ port: 0, host: "127.0.0.1" });
  url = `ws://127.0.0.1:${(app.http.server.address() as AddressInfo).port}/api/v1/ws`;
});
afterAll(async () => app?.dispose());

/** A connected socket and the messages it received, in order. */
async function connect() {
  const socket = new WebSocket(url);
  const messages: { type: string; workspaceId?: string; data: Record<string, unknown> }[] = [];
  socket.on("message", (raw) => messages.push(JSON.parse(String(raw))));
  await once(socket, "open");
  const next = async (type: string) => {
    const deadline = Date.now() + 2_000;
    while (Date.now() < deadline) {
      const found = messages.find((message) => message.type === type);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no ${type} message; got ${JSON.stringify(messages)}`);
  };
  return { socket, messages, next };
}

describe("WebSocket /api/v1/ws", () => {
  it("relays only the subscribed event types and workspace", async () => {
    const client = await connect();
    client.socket.send(JSON.stringify({ action: "subscribe", types: ["data_processed"], workspaceId: "w1" }));
    await client.next("subscribed");
    await app.platform.events.publish({ type: "job_progress", data: { jobId: "x" } });
    await app.platform.events.publish({ type: "data_processed", workspaceId: "w2", data: { rows: 1 } });
    await app.platform.events.publish({ type: "data_processed", workspaceId: "w1", data: { rows: 2 } });
    const event = await client.next("data_processed");
    expect(event).toMatchObject({ workspaceId: "w1", data: { rows: 2 } });
    expect(client.messages.filter((message) => message.type !== "subscribed")).toHaveLength(1);
    client.socket.close();
  });

  it("relays job progress as the job runs", async () => {
    const client = await connect();
    client.socket.send(JSON.stringify({ action: "subscribe", types: ["job_progress"] }));
    await client.next("subscribed");
    await app.platform.events.publish({ type: "job_progress", data: { jobId: "j1", status: "running" } });
    expect((await client.next("job_progress")).data).toMatchObject({ jobId: "j1", status: "running" });
    client.socket.close();
  });

  it("answers a malformed message with an error event and keeps the connection", async () => {
    const client = await connect();
    client.socket.send("not json");
    expect((await client.next("error")).data.message).toMatch(/subscribe/);
    client.socket.send(JSON.stringify({ action: "ping" }));
    await client.next("pong");
    client.socket.close();
  });

  it("sends nothing before a subscription or after unsubscribing", async () => {
    const client = await connect();
    await app.platform.events.publish({ type: "job_progress", data: {} });
    client.socket.send(JSON.stringify({ action: "subscribe" }));
    await client.next("subscribed");
    client.socket.send(JSON.stringify({ action: "unsubscribe" }));
    await client.next("unsubscribed");
    await app.platform.events.publish({ type: "job_progress", data: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.messages.map((message) => message.type)).toEqual(["subscribed", "unsubscribed"]);
    client.socket.close();
  });
});
