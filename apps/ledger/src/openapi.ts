import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The routes as built, from the controllers and DTOs (their validators state each field's form). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Bid-bond custody ledger')
    .setDescription(
      'HTTP API v1 of shared/API.md. Errors: {"error":{"code","message","field"}}; codes, query bodies and choices in docs/api.md; roles in docs/security.md.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
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
