import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import sqlite from "node-sqlite3-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLocalAsk } from "./local.js";

describe("openLocalAsk over database files", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), "sightline-local-ask-"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const join = { fromTable: "gig", fromColumn: "venue_ref", toTable: "venue", toColumn: "vid" };

  it("keeps a SQLite file's table names and joins along its declared foreign keys", async () => {
    const file = path.join(root, "music.sqlite");
    const db = new sqlite.Database(file);
    db.exec(`
      create table venue (vid integer primary key, title text, seats integer);
      create table gig (gid integer primary key, venue_ref integer references venue, played_in text);
      insert into venue values (1, 'Hall', 500), (2, 'Club', 80);
      insert into gig values (1, 1, '2024'), (2, 1, '2025'), (3, 2, '2025');
    `);
    db.close();
    const local = await openLocalAsk(file);
    try {
      expect(local.schema.tables.map((table) => table.name).sort()).toEqual(["gig", "venue"]);
      expect(local.schema.joins).toContainEqual(join);
    } finally {
      local.close();
    }
  });

  it("joins along a DuckDB file's declared foreign keys", async () => {
    const file = path.join(root, "music.duckdb");
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    await connection.run("create table venue (vid integer primary key, title varchar, seats integer)");
    await connection.run(
      "create table gig (gid integer primary key, venue_ref integer references venue (vid), played_in varchar)",
    );
    await connection.run("insert into venue values (1, 'Hall', 500), (2, 'Club', 80)");
    await connection.run("insert into gig values (1, 1, '2024'), (2, 1, '2025'), (3, 2, '2025')");
    connection.closeSync();
    instance.closeSync();
    const local = await openLocalAsk(file);
    try {
      expect(local.schema.joins).toContainEqual(join);
    } finally {
      local.close();
    }
  });
});
