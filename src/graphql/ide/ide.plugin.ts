import type { ApolloServerPlugin } from '@apollo/server';
import { ideHtml } from './ide-assets.js';

/** Apollo's landing page replaced by GraphiQL whose scripts come from this server, not a CDN. */
export function offlineIdePlugin(graphqlPath: string): ApolloServerPlugin {
  const html = ideHtml(graphqlPath);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
