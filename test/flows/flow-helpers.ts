import pg from 'pg';
import { createApiKey, createUser } from '../helpers/factories.js';
import type { TestApp } from '../helpers/test-app.js';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** The start of the current UTC hour, minus `hours`. */
export const hoursAgo = (hours: number) => Math.floor(Date.now() / HOUR) * HOUR - hours * HOUR;

export interface OwnRecord {
  start: string;
  end: string;
  srcAddr: string;
  srcPort: number;
  dstAddr: string;
  dstPort: number;
  protocol: number;
  bytes: number;
  packets: number;
  action: 'ALLOW' | 'DENY';
}

/** A valid record with xsc's names, `at` epoch ms. */
export const flow = (at: number, patch: Partial<OwnRecord> = {}): OwnRecord => ({
  start: new Date(at).toISOString(),
  end: new Date(at + 1500).toISOString(),
  srcAddr: '198.51.100.7',
  srcPort: 50_000,
  dstAddr: '192.0.2.10',
  dstPort: 443,
  protocol: 6,
  bytes: 1200,
  packets: 8,
  action: 'ALLOW',
  ...patch,
});

/** A new organisation with a USER (and its token) and a sensor's API key of scope sync:flows. */
export async function sensorOrg(t: TestApp) {
  const user = await createUser(t);
  const orgId = user.organizationId!;
  const key = (await createApiKey(t, orgId, ['sync:flows'])).key;
  return { user, orgId, key };
}

export const SYNC_FLOW = `mutation($k: String!, $r: [FlowRecord!]!) { syncFlow(chunkKey: $k, records: $r) {
  id chunkKey source received accepted rejected rejections { index reason } } }`;

export const syncFlow = (t: TestApp, apiKey: string, chunkKey: string, records: unknown[]) =>
  t.gql(SYNC_FLOW, { k: chunkKey, r: records }, { apiKey });

/** POST /ingest/flows with an NDJSON body (a Buffer is sent as is, e.g. gzip). */
export function postNdjson(t: TestApp, apiKey: string, body: string | Buffer, opts: { chunkKey?: string; headers?: Record<string, string> } = {}) {
  const req = t.http().post('/ingest/flows').set('authorization', `ApiKey ${apiKey}`).set('content-type', 'application/x-ndjson');
  if (opts.chunkKey) req.query({ chunkKey: opts.chunkKey });
  for (const [k, v] of Object.entries(opts.headers ?? {})) req.set(k, v);
  return req.send(body);
}

export const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Direct SQL on the test database (the flows schema is not in Prisma). */
export const sqlPool = () => new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

/** Every hourly aggregate row of an organisation next to the same figures by GROUP BY over its raw records. */
export async function hourlyVersusRaw(db: pg.Pool, orgId: number) {
  const cells = `to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24') AS hour, site_id, dst_port, protocol, action::text`;
  const raw = await db.query(
    `SELECT ${cells}, sum(bytes)::text AS bytes, sum(packets)::text AS packets, count(*)::text AS connections,
            count(DISTINCT src_addr)::text AS distinct_sources
     FROM (SELECT *, date_trunc('hour', time_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour FROM flows.record WHERE organization_id = $1) r
     GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    [orgId],
  );
  const hourly = await db.query(
    `SELECT ${cells}, bytes::text, packets::text, connections::text, distinct_sources::text
     FROM flows.hourly WHERE organization_id = $1 ORDER BY 1, 2, 3, 4, 5`,
    [orgId],
  );
  return { raw: raw.rows, hourly: hourly.rows };
}

/** The hour source sets of an organisation (decoded cells) next to the distinct sources of its raw records per hourly cell. */
export async function hourSourcesVersusRaw(db: pg.Pool, orgId: number) {
  const cells = `to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24') AS hour, site_id, dst_port, protocol, action::text, host(src_addr) AS src`;
  const raw = await db.query(
    `SELECT DISTINCT ${cells} FROM (SELECT *, date_trunc('hour', time_start, 'UTC') AS hour FROM flows.record WHERE organization_id = $1) r ORDER BY 1, 2, 3, 4, 5, 6`,
    [orgId],
  );
  const stored = await db.query(`SELECT ${cells} FROM flows.hour_source_cells WHERE organization_id = $1 ORDER BY 1, 2, 3, 4, 5, 6`, [orgId]);
  return { raw: raw.rows, stored: stored.rows };
}
