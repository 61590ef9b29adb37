import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { AppConfig } from '../config/app-config.js';
import { graphqlMetricsPlugin } from '../metrics/graphql-metrics.plugin.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { formatGqlError } from './format-error.js';
import { createGqlContext } from './gql-context.js';
import { BoundedDateTime } from './date-time.scalar.js';
import { IdeController } from './ide/ide.controller.js';
import { offlineIdePlugin } from './ide/ide.plugin.js';
import { maxAliasesRule, queryCostPlugin } from './query-limits.js';

export const GRAPHQL_PATH = '/graphql';

@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [AppConfig, MetricsService],
      useFactory: (config: AppConfig, metrics: MetricsService) => ({
        path: GRAPHQL_PATH,
        autoSchemaFile: true,
        sortSchema: true,
        buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: BoundedDateTime }] },
        graphiql: false,
        playground: false,
        introspection: true,
        includeStacktraceInErrorResponses: false,
        parseOptions: { maxTokens: config.get('GRAPHQL_MAX_TOKENS') },
        validationRules: [maxAliasesRule(config.get('GRAPHQL_MAX_ALIASES'))],
        // No cache hints are used: without this, Apollo's cache-control plugin wraps every field resolver.
        plugins: [offlineIdePlugin(GRAPHQL_PATH), queryCostPlugin(config.get('GRAPHQL_MAX_COST')), ApolloServerPluginCacheControlDisabled(), graphqlMetricsPlugin(metrics)],
        context: createGqlContext,
        formatError: formatGqlError,
      }),
    }),
  ],
  controllers: [IdeController],
})
export class AppGraphQLModule {}
