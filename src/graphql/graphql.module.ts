import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { formatGqlError } from './format-error.js';
import { createGqlContext } from './gql-context.js';
import { IdeController } from './ide/ide.controller.js';
import { offlineIdePlugin } from './ide/ide.plugin.js';

export const GRAPHQL_PATH = '/graphql';

@Module({
  imports: [
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      path: GRAPHQL_PATH,
      autoSchemaFile: true,
      sortSchema: true,
      graphiql: false,
      playground: false,
      introspection: true,
      includeStacktraceInErrorResponses: false,
      plugins: [offlineIdePlugin(GRAPHQL_PATH)],
      context: createGqlContext,
      formatError: formatGqlError,
    }),
  ],
  controllers: [IdeController],
})
export class AppGraphQLModule {}
