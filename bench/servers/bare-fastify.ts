// The peer: a bare Fastify hello-world JSON endpoint, no plugins.
import Fastify from "fastify";

const app = Fastify();
app.get("/hello", async () => ({ hello: "world" }));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
