// Caps what one GraphQL request may ask for, before any resolver runs: aliases (each one a
// separate resolver call) and an estimated cost in which a list field's `first` multiplies the
// cost of what is selected under it. Both limits are configurable (GRAPHQL_MAX_ALIASES,
// GRAPHQL_MAX_COST) and answer QUERY_TOO_COMPLEX with the figures in `details`.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode, visit, type DocumentNode, type ValidationContext, type ASTVisitor } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../common/errors/error-codes.js';
import { MAX_LIST_LENGTH } from '../common/validation/input-guards.js';

const tooComplex = (message: string, details: Record<string, number>) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, details } });

/** Aliases in a document (fragments counted once; their spreads never multiply them). */
export function countAliases(document: DocumentNode): number {
  let n = 0;
  visit(document, { Field: (node) => void (node.alias && n++) });
  return n;
}

/** A validation rule, so a flood of aliases is refused before the rest of validation runs on it. */
export function maxAliasesRule(max: number) {
  return (context: ValidationContext): ASTVisitor => ({
    Document(node) {
      const aliases = countAliases(node);
      if (aliases > max) context.reportError(tooComplex(`The query uses ${aliases} aliases; at most ${max} are allowed`, { aliases, max }));
    },
  });
}

/** Paginated fields cost `first` (default 20) times their selection; everything else costs 1 plus its selection. */
const pageEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = typeof args.first === 'number' && args.first > 0 ? args.first : null;
  return size === null ? undefined : 1 + size * Math.max(childComplexity, 1);
};

/** The longest list anywhere in the variables (plain JSON: cheap to walk, unlike coercing it). */
function longestList(value: unknown, depth = 0): number {
  if (!value || typeof value !== 'object' || depth > 32) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  let longest = Array.isArray(value) ? value.length : 0;
  for (const v of children) if (v && typeof v === 'object') longest = Math.max(longest, longestList(v, depth + 1));
  return longest;
}

/**
 * Cost, and first of all list lengths: a list over MAX_LIST_LENGTH in the variables is refused
 * before GraphQL coerces it element by element (twice: here and at execution).
 */
export function queryCostPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operation }) {
          const longest = longestList(request.variables);
          if (longest > MAX_LIST_LENGTH) {
            throw new GraphQLError(`A list holds ${longest} items; at most ${MAX_LIST_LENGTH} are accepted anywhere`, {
              extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
            });
          }
          // Cost is about read fan-out. Mutations carry the large inputs (ingest chunks of 5,000
          // records) that estimating would coerce a second time; their fan-out is bounded by the
          // alias cap and their input limits.
          if (operation?.operation !== OperationTypeNode.QUERY) return;
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [pageEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            return; // variables that do not fit their types: execution refuses them (BAD_USER_INPUT) before any resolver
          }
          if (cost > maxCost) {
            throw tooComplex(`The query's estimated cost is ${cost}; at most ${maxCost} is allowed (ask for fewer items or fields)`, { cost, max: maxCost });
          }
        },
      };
    },
  };
}
