import { GraphQLError, GraphQLScalarType, valueFromASTUntyped } from 'graphql';

/**
 * One flow record of syncFlow: a JSON object, taken as it comes and checked by the service
 * (checkFlow) like an NDJSON line. Not an input type: GraphQL would refuse the whole call for
 * one record of the wrong type (a port sent as text, a bad date), where a sensor's batch must
 * keep its valid records and get the bad one back with its reason; and coercing 10,000 typed
 * objects field by field cost more CPU than storing them.
 */
export const FlowRecordScalar = new GraphQLScalarType<unknown, never>({
  name: 'FlowRecord',
  description:
    'A flow record, a JSON object: start, end (ISO 8601 or epoch milliseconds), srcAddr, dstAddr (IPv4 or IPv6), ' +
    'srcPort, dstPort (0-65535), protocol (0-255, or TCP, UDP, ICMP...), bytes, packets (non-negative integers), ' +
    "action (ALLOW or DENY, default ALLOW); GoFlow2's JSON names are read too, as by POST /ingest/flows. " +
    'Each record is checked on its own: an invalid one is refused with its reason (FlowBatch.rejections), the rest kept.',
  serialize() {
    throw new GraphQLError('FlowRecord is an input only');
  },
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
