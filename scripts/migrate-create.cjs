// Usage: npm run migrate:create -- <name>
// Writes prisma/migrations/<UTC timestamp>_<name>/migration.sql (diff between the existing
// migrations, replayed on a temporary shadow DB, and prisma/schema.prisma) without applying it.
// Stand-in for `prisma migrate dev --create-only`, which with Prisma 6.19.3's WASM schema
// engine writes the file but then exits 1 with "null pointer passed to rust".
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const name = (process.argv[2] || "").replace(/[^A-Za-z0-9_]/g, "_");
if (!name) {
  console.error("usage: npm run migrate:create -- <name>");
  process.exit(1);
}
const cli = path.join(__dirname, "..", "node_modules", "prisma", "build", "index.js");
const sql = execFileSync(
  process.execPath,
  [cli, "migrate", "diff", "--from-migrations", "prisma/migrations",
    "--to-schema-datamodel", "prisma/schema", "--script"],
  { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
);
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`created ${dir}/migration.sql`);
