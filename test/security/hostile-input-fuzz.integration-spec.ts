import { readFileSync } from 'node:fs';
import {
  buildSchema, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, isLeafType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLObjectType,
} from 'graphql';
import { createAdmin, type UserWithToken } from '../helpers/factories.js';
import { startTestApp, type Credentials, type GqlResult, type TestApp } from '../helpers/test-app.js';

/**
 * Hostile input never becomes an internal error. Walks schema.graphql: every query and mutation,
 * every argument, down through input objects; for each hostile class a few variables sets (fixed
 * seed, so a failure replays) where one position gets the hostile value and the rest plausible ones.
 */
const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));
const HOSTILE = {
  surrogate: () => 'a\uD800b',
  nul: () => 'a\u0000b',
  extremeDate: () => '+275760-09-13T00:00:00.000Z',
  negativeDate: () => '-271821-04-20T00:00:00.000Z',
  cursor: () => 'WyIyMDIwLTAxLTAxVDAwOjAwOjAwWiIsMWUyMF0',
  null: () => null,
  bigList: () => null, // built per type below
  hugeInt: () => 2 ** 31,
} as const;
type Hostile = keyof typeof HOSTILE;
const VARIANTS_PER_CLASS = 2;
const BIG_LIST = 20_000;

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Positions (paths of argument and input fields) where `kind` applies. */
function positions(type: GraphQLInputType, path: string[], kind: Hostile, depth = 0): string[][] {
  const named = getNamedType(type);
  const here: string[][] = [];
  const nullable = !isNonNullType(type);
  if (kind === 'null' && nullable) here.push(path);
  if (kind === 'bigList' && isListType(isNonNullType(type) ? type.ofType : type)) here.push(path);
  if (isScalarType(named)) {
    if ((kind === 'surrogate' || kind === 'nul') && (named.name === 'String' || named.name === 'ID')) here.push(path);
    if ((kind === 'extremeDate' || kind === 'negativeDate') && named.name === 'DateTime') here.push(path);
    if (kind === 'cursor' && path.at(-1) === 'after') here.push(path);
    if (kind === 'hugeInt' && named.name === 'Int') here.push(path);
  }
  if (isInputObjectType(named) && depth < 4) {
    for (const f of Object.values(named.getFields())) here.push(...positions(f.type, [...path, f.name], kind, depth + 1));
  }
  return here;
}

/** A plausible value for a type; the value at `target` replaced by `hostile`. */
function valueOf(type: GraphQLInputType, path: string[], target: string[], hostile: Hostile, depth = 0): unknown {
  const here = path.join('.') === target.join('.');
  if (here && hostile === 'bigList') {
    const inner = (isNonNullType(type) ? type.ofType : type) as { ofType: GraphQLInputType };
    const one = valueOf(inner.ofType, path, [], hostile, depth + 1);
    return Array.from({ length: BIG_LIST }, () => one);
  }
  if (here) return HOSTILE[hostile]();
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [valueOf(inner.ofType, path, target, hostile, depth + 1)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isScalarType(named)) {
    return ({ ID: '2147483000', Int: 1, Float: 1, Boolean: true, DateTime: '2026-01-01T00:00:00Z' } as Record<string, unknown>)[named.name] ?? 'x';
  }
  if (isInputObjectType(named)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(named.getFields())) {
      const onPath = target.length > path.length && target[path.length] === f.name && target.slice(0, path.length).join('.') === path.join('.');
      if (isNonNullType(f.type) || onPath || depth < 1) out[f.name] = valueOf(f.type, [...path, f.name], target, hostile, depth + 1);
    }
    return out;
  }
  return null;
}

function operation(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const vars = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${kind}${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

interface Case { op: string; query: string; variables: Record<string, unknown>; what: string }

function cases(): Case[] {
  const rand = mulberry32(17);
  const out: Case[] = [];
  for (const kind of ['query', 'mutation'] as const) {
    const root = (kind === 'query' ? schema.getQueryType() : schema.getMutationType()) as GraphQLObjectType;
    for (const field of Object.values(root.getFields())) {
      const query = operation(kind, field);
      const plain = Object.fromEntries(field.args.map((a) => [a.name, valueOf(a.type, [a.name], [], 'null')]));
      out.push({ op: field.name, query, variables: plain, what: 'plausible values' });
      for (const hostile of Object.keys(HOSTILE) as Hostile[]) {
        const all = field.args.flatMap((a: GraphQLArgument) => positions(a.type, [a.name], hostile));
        for (let n = 0; n < Math.min(VARIANTS_PER_CLASS, all.length); n++) {
          const target = all[Math.floor(rand() * all.length)];
          const variables = Object.fromEntries(field.args.map((a) => [a.name, valueOf(a.type, [a.name], target, hostile)]));
          out.push({ op: field.name, query, variables, what: `${hostile} at ${target.join('.')}` });
        }
      }
    }
  }
  return out;
}

describe('security: hostile input over every operation never answers INTERNAL_SERVER_ERROR', () => {
  let t: TestApp;
  let admin: UserWithToken;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
  });
  afterAll(() => t.close());

  it('covers every query and mutation of the schema with every applicable hostile class', async () => {
    const all = cases();
    const ops = new Set(all.map((c) => c.op));
    const roots = [schema.getQueryType()!, schema.getMutationType()!].flatMap((r) => Object.values(r.getFields()));
    expect(roots.filter((f) => !ops.has(f.name))).toEqual([]);

    const internal: string[] = [];
    for (const c of all) {
      for (const who of [{ token: admin.token }, {}] as Credentials[]) {
        let r: GqlResult;
        try {
          r = await t.gql(c.query, c.variables, who);
        } catch (e) {
          internal.push(`${c.op} (${c.what}): request failed ${(e as Error).message}`);
          continue;
        }
        const bad = r.status >= 500 || (r.errors ?? []).some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
        if (bad) internal.push(`${c.op} (${c.what}, ${who.token ? 'admin' : 'anonymous'}): ${r.status} ${JSON.stringify(r.errors?.[0])}`);
      }
    }
    expect(internal).toEqual([]);
  }, 600_000);
});
