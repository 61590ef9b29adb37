import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getNamedType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLField, type GraphQLInputField } from 'graphql';

// The scanner's own name of a check ("nuclei template id", "ZAP plugin id"): a string of theirs, not an xsc id.
const NOT_XSC_IDS = new Set(['checkId', 'checkIds']);
const looksLikeId = (name: string) => /^(id|ids)$|[a-z](Id|Ids)$/.test(name) && !NOT_XSC_IDS.has(name);

/** Every field, input field and argument of the committed schema named like an id, with its type. */
function idLikeFields(): { where: string; type: string }[] {
  const schema = buildSchema(readFileSync(path.resolve(import.meta.dirname, '../../schema.graphql'), 'utf8'));
  const out: { where: string; type: string }[] = [];
  const add = (where: string, f: GraphQLField<unknown, unknown> | GraphQLInputField) => {
    if (looksLikeId(f.name)) out.push({ where, type: getNamedType(f.type).name });
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const f of Object.values(type.getFields())) {
        add(`${type.name}.${f.name}`, f);
        for (const a of f.args) if (looksLikeId(a.name)) out.push({ where: `${type.name}.${f.name}(${a.name})`, type: getNamedType(a.type).name });
      }
    }
    if (isInputObjectType(type)) for (const f of Object.values(type.getFields())) add(`${type.name}.${f.name}`, f);
  }
  return out;
}

describe('ids in the GraphQL schema', () => {
  it('every id field, input field and argument is typed ID (schema.graphql, which a test keeps equal to the code)', () => {
    const fields = idLikeFields();
    expect(fields.length).toBeGreaterThan(50);
    expect(fields.filter((f) => f.type !== 'ID')).toEqual([]);
  });
});
