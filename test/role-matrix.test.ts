import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModules } from "../src/modules/index.js";
import {
  type Permission,
  permissionMatrix,
  permissionTable,
  type Role,
  roles,
} from "../src/modules/workspaces/permissions.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import {
  addMember,
  inWorkspace,
  multipartFile,
  setUpOwner,
  signUp,
  type TestSession,
} from "./helpers/auth.js";

type Request = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  payload?: Record<string, unknown>;
  /** A file sent as multipart/form-data in the field `file`: [name, content]. */
  upload?: [string, string];
};

/**
 * Each role against each class of route. A route class is a permission of the matrix with a
 * request that needs it; the expected answer comes from the matrix itself, so changing the
 * matrix changes what is tested. Every permission a route declares must have a class here.
 */
describe("role matrix", () => {
  let app: TestApp;
  const declared = new Set<string>();
  const people = {} as Record<Role, TestSession>;
  let workspaceId: string;
  let target: TestSession;

  beforeAll(async () => {
    app = await createTestApp({
      modules: (platform) => [
        {
          name: "route-spy",
          routes(api) {
            api.addHook("onRoute", (route) => {
              if (route.config?.permission) declared.add(route.config.permission);
            });
          },
        },
        ...createModules(platform),
      ],
    });
    await setUpOwner(app, "operator@example.com");
    people.owner = await signUp(app, "owner@example.com");
    workspaceId = people.owner.workspaceId;
    for (const role of ["admin", "analyst", "viewer"] as const) {
      const person = await signUp(app, `${role}@example.com`);
      await addMember(app, people.owner, workspaceId, person, role);
      people[role] = inWorkspace(person, workspaceId);
    }
    target = await signUp(app, "target@example.com");
    await addMember(app, people.owner, workspaceId, target, "viewer");
  });
  afterAll(async () => app?.dispose());

  /** Requests that need each permission; `undo` puts things back after an allowed call. */
  const classes: Record<
    Permission,
    { request: () => Request; undo?: (as: TestSession) => Promise<void> } | null
  > = {
    "workspace.read": { request: () => ({ method: "GET", url: "/api/v1/members" }) },
    "data.write": {
      request: () => ({ method: "POST", url: "/api/v1/sources", upload: ["matrix.csv", "a\n1\n"] }),
    },
    "workspace.update": {
      request: () => ({
        method: "PATCH",
        url: `/api/v1/workspaces/${workspaceId}`,
        payload: { name: "Renamed" },
      }),
    },
    "members.manage": {
      request: () => ({
        method: "POST",
        url: "/api/v1/invitations",
        payload: { email: "new@example.com", role: "viewer" },
      }),
    },
    "apiKeys.manage": { request: () => ({ method: "GET", url: "/api/v1/api-keys" }) },
    "audit.read": { request: () => ({ method: "GET", url: "/api/v1/audit-events" }) },
    "owners.manage": {
      request: () => ({
        method: "PATCH",
        url: `/api/v1/members/${target.user.id}`,
        payload: { role: "owner" },
      }),
      undo: async (as) => {
        await call(as, {
          method: "PATCH",
          url: `/api/v1/members/${target.user.id}`,
          payload: { role: "viewer" },
        });
      },
    },
    "workspace.delete": {
      request: () => ({ method: "DELETE", url: `/api/v1/workspaces/${workspaceId}` }),
    },
  };

  const call = async (as: TestSession, request: Request) => {
    if (request.upload) {
      const body = await multipartFile("file", ...request.upload);
      return app.http.inject({
        method: request.method,
        url: request.url,
        headers: { ...as.headers, ...body.headers },
        payload: body.payload,
      });
    }
    return app.http.inject({
      method: request.method,
      url: request.url,
      headers: as.headers,
      ...(request.payload ? { payload: request.payload } : {}),
    });
  };

  it("has a route class for every permission a route declares", () => {
    const covered = Object.entries(classes)
      .filter(([, entry]) => entry !== null)
      .map(([name]) => name);
    expect([...declared].filter((permission) => !covered.includes(permission))).toEqual([]);
  });

  // Deleting the workspace comes last: it ends the matrix for everyone.
  const order = (Object.keys(classes) as Permission[]).sort(
    (x, y) => Number(x === "workspace.delete") - Number(y === "workspace.delete"),
  );
  for (const permission of order.filter((name) => classes[name] !== null)) {
    const allowed = permissionMatrix[permission].roles as readonly Role[];
    // Least rights first, so a refused call never follows an allowed one that changed state.
    for (const role of [...roles].reverse()) {
      it(`${role} ${allowed.includes(role) ? "may" : "may not"}: ${permission}`, async () => {
        const entry = classes[permission];
        if (!entry) return;
        const as = people[role];
        const response = await call(as, entry.request());
        if (allowed.includes(role)) {
          expect(response.statusCode, response.body).toBeLessThan(300);
          await entry.undo?.(as);
        } else {
          expect(response.statusCode, response.body).toBe(403);
          expect(response.json().code).toBe("forbidden");
        }
      });
    }
  }

  it("gives an API key the rights of its role, no more", async () => {
    const fresh = await signUp(app, "keys@example.com");
    for (const role of roles) {
      const created = await call(fresh, {
        method: "POST",
        url: "/api/v1/api-keys",
        payload: { name: role, role },
      });
      const key = created.json().secret as string;
      for (const permission of ["workspace.read", "apiKeys.manage", "audit.read"] as const) {
        const request = classes[permission]?.request();
        if (!request) continue;
        const response = await app.http.inject({ ...request, headers: { "x-api-key": key } });
        const allowed = (permissionMatrix[permission].roles as readonly Role[]).includes(role);
        expect(response.statusCode, `${role} key on ${permission}`).toBe(allowed ? 200 : 403);
      }
    }
  });

  it("is the table docs/security.md prints", () => {
    const docs = readFileSync("docs/security.md", "utf8");
    expect(docs).toContain(permissionTable());
  });
});
