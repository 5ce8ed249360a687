import { sql } from "drizzle-orm";
import { type Db, inTransaction } from "../../platform/db/index.js";
import { Conflict } from "../../platform/errors.js";
import type { Logger } from "../../platform/log.js";
import type { AuditLog, RequestMeta } from "../audit/index.js";
import type { WorkspacesService } from "../workspaces/index.js";
import { type AuthService, type SignedIn, userActor } from "./auth.service.js";
import type { Devices } from "./devices.js";
import type { UserStore } from "./users.store.js";

export const demoAccount = {
  email: "demo@sightline.local",
  password: "sightline-demo",
  name: "Demo User",
  workspaceName: "Demo workspace (sample data)",
};

// Any fixed number: one account-creating transaction at a time where "no users yet" matters.
const sqlLock = sql`select pg_advisory_xact_lock(7405222)`;

/** The server's first account (set-up page), and the demo account of `serve --demo`. */
export function createFirstRun(deps: {
  db: Db;
  log: Logger;
  audit: AuditLog;
  users: UserStore;
  devices: Devices;
  workspaces: WorkspacesService;
  auth: Pick<AuthService, "hashPassword" | "signIn">;
}) {
  const { db, log, audit, users, devices, workspaces, auth } = deps;
  return {
    demoSignIn: { email: demoAccount.email, password: demoAccount.password },

    /** First run: the owner of the first workspace, verified at once, operator of the server. */
    async setup(
      input: { email: string; password: string; name: string; workspaceName?: string | undefined },
      meta: RequestMeta,
    ): Promise<SignedIn & { deviceCookie: string }> {
      const passwordHash = await auth.hashPassword(input.password);
      const user = await inTransaction(db, async (tx) => {
        // Serialises concurrent set-ups on one database: the second sees the first's user.
        await tx.execute(sqlLock);
        if ((await users.count(tx)) > 0) {
          throw new Conflict("Sightline is already set up: sign in instead", { code: "already_set_up" });
        }
        const created = await users.create(
          {
            email: input.email,
            name: input.name,
            passwordHash,
            accountType: "personal",
            verified: true,
            instanceAdmin: true,
          },
          tx,
        );
        const workspace = await workspaces.create(
          {
            name: input.workspaceName ?? `${input.name}'s workspace`,
            ownerId: created.id,
            actor: userActor(created),
            meta,
          },
          tx,
        );
        await users.update(created.id, { lastWorkspaceId: workspace.id }, tx);
        await audit.record({ action: "auth.setup", actor: userActor(created), meta }, tx);
        return created;
      });
      // The browser that set the server up is trusted: its owner can sign in again before mail works.
      const trusted = await devices.trust(user.id, meta);
      return { ...(await auth.signIn(user, meta, trusted.device.id)), deviceCookie: trusted.cookie };
    },

    async needsSetup(): Promise<boolean> {
      return (await users.count()) === 0;
    },

    /** The demo account and its labelled workspace, created once. */
    async ensureDemo(): Promise<void> {
      if (await users.byEmail(demoAccount.email)) return;
      const passwordHash = await auth.hashPassword(demoAccount.password);
      await inTransaction(db, async (tx) => {
        await tx.execute(sqlLock);
        if (await users.byEmail(demoAccount.email, tx)) return;
        const instanceAdmin = (await users.count(tx)) === 0;
        const user = await users.create(
          {
            email: demoAccount.email,
            name: demoAccount.name,
            passwordHash,
            accountType: "personal",
            verified: true,
            isDemo: true,
            instanceAdmin,
          },
          tx,
        );
        const workspace = await workspaces.create(
          {
            name: demoAccount.workspaceName,
            ownerId: user.id,
            isDemo: true,
            actor: { type: "system", label: "demo" },
          },
          tx,
        );
        await users.update(user.id, { lastWorkspaceId: workspace.id }, tx);
      });
      log.info({ email: demoAccount.email }, "demo workspace created");
    },

    async demoExists(): Promise<boolean> {
      return (await users.byEmail(demoAccount.email)) !== undefined;
    },
  };
}

export type FirstRun = ReturnType<typeof createFirstRun>;
