import { existsSync, readFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { renderSchema, SCHEMA_FILE } from '../../src/graphql/schema-file.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** The first line where two texts differ, for a failure message a person can act on. */
function firstDifference(committed: string, live: string): string {
  const a = committed.split('\n');
  const b = live.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `line ${at + 1}: committed ${JSON.stringify(a[at] ?? '<end of file>')}, live ${JSON.stringify(b[at] ?? '<end of file>')}`;
}

describe('schema.graphql', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('matches the schema the application serves', () => {
    const live = renderSchema(t.app.get(GraphQLSchemaHost).schema);
    const committed = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (committed !== live) {
      throw new Error(
        `schema.graphql is out of date (${firstDifference(committed, live)}).\n` +
          'Run `npm run schema:print` and commit schema.graphql.',
      );
    }
  });

  it('is what introspection over POST /graphql describes', async () => {
    const r = await t.gql('{ __schema { queryType { name } mutationType { name } } }');
    expect(r.data?.__schema).toEqual({ queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } });
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed).toMatch(/^type Query \{/m);
  });
});
