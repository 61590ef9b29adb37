import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_JSON_PATH = '/openapi.json';
export const OPENAPI_YAML_PATH = '/openapi.yaml';

/** The OpenAPI document of the REST endpoints (GraphQL describes itself: its schema is at /graphql). */
export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('xsc REST API')
    .setDescription(
      'REST endpoints of xsc, for scanners, monitoring and file downloads (reports). Everything else is GraphQL at POST /graphql (schema.graphql ' +
      'in the repository). Scanners authenticate with an API key made by an administrator (createApiKey mutation): ' +
      'header `Authorization: ApiKey <secret>`.',
    )
    .setVersion('1')
    .addSecurity('ApiKey', { type: 'apiKey', in: 'header', name: 'Authorization', description: 'ApiKey <secret> (the key createApiKey returned)' })
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A user access token (GraphQL login mutation)' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the document (built on first request) at /openapi.json and /openapi.yaml; no UI, nothing else to install. */
export function serveOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('openapi', app, () => openApiDocument(app), {
    ui: false,
    raw: ['json', 'yaml'],
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: OPENAPI_YAML_PATH,
  });
}
