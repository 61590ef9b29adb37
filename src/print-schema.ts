import { writeFileSync } from 'node:fs';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { createApp, ensureRedis, exitOnBootError, readEnv } from './boot.js';
import { renderSchema, SCHEMA_FILE } from './graphql/schema-file.js';

/**
 * `npm run schema:print`: builds the API's modules (no HTTP listener, no workers), generates the
 * GraphQL schema the way the app does at start-up, writes it sorted to schema.graphql and exits.
 * Only the GraphQL module is initialised, so no start-up work (first admin, area data) touches
 * the database, and a placeholder URL stands in when DATABASE_URL is unset; Redis must be
 * reachable, as for `npm start` (the queue clients connect when the app is created).
 */
async function printSchemaFile() {
  const env = readEnv();
  env.PROCESS_ROLE = 'api';
  env.LOG_LEVEL = 'warn';
  env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/xsc_schema_print_unused';
  env.ADMIN_USERNAME = env.ADMIN_PASSWORD = undefined;
  await ensureRedis(env.REDIS_URL);
  const app = await createApp(env);
  await app.get(GraphQLModule, { strict: false }).onModuleInit();
  const sdl = renderSchema(app.get(GraphQLSchemaHost).schema);
  await app.close();
  writeFileSync(SCHEMA_FILE, sdl);
  console.log(`xsc: wrote ${SCHEMA_FILE} (${sdl.split('\n').length} lines)`);
}

printSchemaFile().catch(exitOnBootError);
