import type { ApolloServerPlugin } from '@apollo/server';
import type { MetricsService } from './metrics.service.js';

/** Latency and errors per GraphQL operation (its name once parsed; "anonymous" when unnamed). */
export function graphqlMetricsPlugin(metrics: MetricsService): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors(ctx) {
          const operation = metrics.operationLabel(ctx.operationName ?? ctx.request.operationName);
          for (const e of ctx.errors) metrics.gqlErrors.inc({ operation, code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
        },
        async willSendResponse(ctx) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const operation = metrics.operationLabel(ctx.operationName ?? ctx.request.operationName);
          metrics.gqlDuration.observe({ operation, type: ctx.operation?.operation ?? 'unknown' }, seconds);
        },
      };
    },
  };
}
