import { writeFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { createApp, ensureRedis, exitOnBootError, readEnv } from '../boot.js';
import { renderSchema, SCHEMA_FILE } from './schema-file.js';

/**
 * `npm run schema:print`: boots the API (no HTTP listener, no workers, no first-start admin),
 * writes its sorted schema to schema.graphql and exits. The database is not queried, so a
 * placeholder URL stands in when DATABASE_URL is unset; Redis must be reachable, as for `npm start`.
 */
async function printSchemaFile() {
  const env = readEnv();
  env.PROCESS_ROLE = 'api';
  env.LOG_LEVEL = 'warn';
  env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/xsc_schema_print_unused';
  env.ADMIN_USERNAME = env.ADMIN_PASSWORD = undefined;
  await ensureRedis(env.REDIS_URL);
  const app = await createApp(env);
  await app.init();
  const sdl = renderSchema(app.get(GraphQLSchemaHost).schema);
  await app.close();
  writeFileSync(SCHEMA_FILE, sdl);
  console.log(`xsc: wrote ${SCHEMA_FILE} (${sdl.split('\n').length} lines)`);
}

printSchemaFile().catch(exitOnBootError);
