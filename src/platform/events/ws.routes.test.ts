import { once } from "node:events";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { Unauthorized } from "../errors.js";
import { createMemoryEventBus } from "./index.js";
import { type EventAccess, registerEventsSocket } from "./ws.routes.js";

const bus = createMemoryEventBus();
const app = Fastify();
/** What the caller may see right now; the test changes it while the socket stays open. */
let current: { workspaces: string[]; signedIn: boolean } = { workspaces: ["w1"], signedIn: true };
const access = (): EventAccess => {
  if (!current.signedIn) throw new Unauthorized();
  return { workspaceIds: new Set(current.workspaces), operator: false, refresh: async () => access() };
};

beforeAll(async () => {
  await registerEventsSocket(app, bus, async () => access(), 50);
  await app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => app.close());

async function connect() {
  const socket = new WebSocket(`ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/ws`);
  const messages: { type: string; data: Record<string, unknown> }[] = [];
  socket.on("message", (raw) => messages.push(JSON.parse(String(raw))));
  await once(socket, "open");
  socket.send(JSON.stringify({ action: "subscribe" }));
  while (!messages.some((message) => message.type === "subscribed"))
    await new Promise((r) => setTimeout(r, 10));
  return { socket, messages };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

it("stops relaying a workspace's events once the caller has left it, without a new subscription", async () => {
  current = { workspaces: ["w1"], signedIn: true };
  const client = await connect();
  await bus.publish({ type: "data_processed", workspaceId: "w1", data: { n: 1 } });
  current = { workspaces: [], signedIn: true };
  await settle();
  await bus.publish({ type: "data_processed", workspaceId: "w1", data: { n: 2 } });
  await settle();
  expect(client.messages.filter((message) => message.type === "data_processed").map((m) => m.data.n)).toEqual(
    [1],
  );
  client.socket.close();
});

it("closes the socket with 4401 when the session ends", async () => {
  current = { workspaces: ["w1"], signedIn: true };
  const client = await connect();
  const closed = once(client.socket, "close");
  current = { workspaces: ["w1"], signedIn: false };
  const [code] = await closed;
  expect(code).toBe(4401);
  expect(client.messages.at(-1)).toMatchObject({ type: "error" });
});
