import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const inPackage = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

/** The files the offline GraphiQL page loads, served by the app itself from node_modules. */
export const IDE_ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: inPackage('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: inPackage('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: inPackage('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: inPackage('graphiql', 'graphiql.min.css'), type: 'text/css' },
};

export const IDE_ASSET_PATH = '/graphql-ide';

export function ideHtml(graphqlPath: string): string {
  const asset = (name: string) => `${IDE_ASSET_PATH}/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>xsc GraphQL IDE</title>
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <link rel="stylesheet" href="${asset('graphiql.css')}" />
  <style>html, body, #ide { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="ide">Loading the IDE…</div>
  <script src="${asset('react.js')}"></script>
  <script src="${asset('react-dom.js')}"></script>
  <script src="${asset('graphiql.js')}"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(graphqlPath)} });
    const defaultQuery = '# Sign in with the login mutation, then put the access token in Headers:\\n' +
      '# { "Authorization": "Bearer <accessToken>" }\\n\\nquery Health {\\n  __typename\\n}\\n';
    ReactDOM.createRoot(document.getElementById('ide')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true, shouldPersistHeaders: true }),
    );
  </script>
</body>
</html>`;
}
