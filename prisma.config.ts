
import { randomUUID } from "node:crypto";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { parseIntoClientConfig } from "pg-connection-string";

/*
 * Prisma 6.19.3 CLI with the WASM ("js") schema engine + @prisma/adapter-pg 6.19.3
 * against a real PostgreSQL, with no native engine binaries. This file is loaded by
 * the Prisma CLI only; the workarounds below never run inside the application.
 */

// (1) adapter-pg 6.19.3 cannot map the catalog column types "char" (oid 18) and name
// (oid 19) returned by the schema engine's introspection queries:
//   "Column type 'name' could not be deserialized from the database"
// Report them as text (oid 25); pg returns both as plain strings anyway.

// eslint-disable-next-line @typescript-eslint/no-require-imports -- pg does not export its Result class; the CLI loads this file as CommonJS
const PgResult = require("pg/lib/result");
const addFields = PgResult.prototype.addFields;
PgResult.prototype.addFields = function (fields: { dataTypeID: number }[]) {
  for (const f of fields) if (f.dataTypeID === 18 || f.dataTypeID === 19) f.dataTypeID = 25;
  return addFields.call(this, fields);
};

// (2) The WASM engine arms 10 s / 60 s timeouts that it never clears, so every successful
// migrate command would sit idle 10-60 s before exiting. Unref long timers (CLI process only).
const setTimeoutOrig = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const t = setTimeoutOrig(fn, ms, ...args);
  if ((ms ?? 0) >= 10_000) t.unref();
  return t;
}) as typeof setTimeout;

// Discrete connection fields, not connectionString (see (3)). Read lazily so that
// `prisma generate` works without DATABASE_URL.
function dbConfig(database?: string) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  return { ...parseIntoClientConfig(url), ...(database ? { database } : {}), allowExitOnIdle: true };
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

// (4) adapter-pg's executeScript splits a migration on ";" (breaks $$ bodies and string
// literals, and is not atomic). Send the whole script as one simple query, as the native
// engine does (PostgreSQL runs a multi-statement simple query as one transaction).
function wholeScript(adapter: Adapter): Adapter {
  const pool = adapter.underlyingDriver();
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (e) {
      (adapter as unknown as { onError(e: unknown): never }).onError(e);
    }
  };
  return adapter;
}

class MigratePg extends PrismaPg {
  async connect() {
    return wholeScript(await super.connect());
  }

  // (3) adapter-pg's connectToShadowDb builds the shadow pool as { ...config, database }
  // (pg ignores `database` when connectionString is set, so the "shadow" is the dev DB)
  // and drops the shadow DB before closing its pool ("is being accessed by other users").
  async connectToShadowDb() {
    const admin = await this.connect();
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const shadow = wholeScript(await new PrismaPg(dbConfig(name)).connect());
    const closeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await closeShadow();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.dispose();
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  adapter: async () => new MigratePg(dbConfig()),
});
