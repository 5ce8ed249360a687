import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

export interface ChildServer {
  child: ChildProcess;
  url: string;
  /** Everything it printed, for failure messages. */
  output: string[];
  exited: Promise<number | null>;
}

/**
 * Starts a Sightline server in its own process (`node <args>` in `cwd`, on a free port, with
 * only PATH, HOME and `env` in its environment) and waits until it answers /healthz.
 */
export async function startChildServer(options: {
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs?: number;
}): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const server = { child, url: `http://127.0.0.1:${port}`, output, exited };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await fetch(`${server.url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`The server did not start:\n${output.join("")}`);
}
