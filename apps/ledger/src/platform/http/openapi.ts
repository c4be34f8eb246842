import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * The routes as built, from the controllers, their DTOs (whose validators state each field's form) and
 * their `*.responses.ts` (what each route answers, errors included).
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Bid-bond custody ledger')
    .setDescription(
      'HTTP API v1 of docs/api-contract.md. Errors: {"error":{"code","message","field"}}; codes, query bodies and choices in docs/api.md; roles in docs/security.md.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return closeObjectSchemas(SwaggerModule.createDocument(app, config));
}

/**
 * Every object of the API is closed: a request with a field its DTO does not declare is refused
 * (UNKNOWN_FIELD) and no answer carries a field its schema does not list (openapi-responses.e2e.spec.ts
 * checks real answers). A schema open on purpose says so itself (an event's data).
 */
function closeObjectSchemas(document: OpenAPIObject): OpenAPIObject {
  for (const schema of Object.values(document.components?.schemas ?? {})) {
    if ('type' in schema && schema.type === 'object' && schema.additionalProperties === undefined) schema.additionalProperties = false;
  }
  return document;
}

/** Serves the document at /docs (UI) and /docs-json, without a token: it describes, it does not disclose. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app));
}

/** Where `npm run openapi` writes the document, relative to the repository root. */
export const OPENAPI_FILE = 'docs/openapi.json';

export function openApiText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
