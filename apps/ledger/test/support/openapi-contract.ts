import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { ERROR_CODES_EXTENSION } from '../../src/platform/http/api-error.responses';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** What the document says one status of one operation answers. */
interface DocumentedResponse {
  content?: Record<string, { schema?: object }>;
  [ERROR_CODES_EXTENSION]?: string[];
}

interface Operation {
  /** "GET /v1/lots/{lotId}" */
  name: string;
  method: string;
  matches: (path: string) => boolean;
  responses: Record<string, DocumentedResponse>;
}

/** "application/json; charset=utf-8" → "application/json" */
function mediaTypeOf(contentType: string): string {
  return contentType.replace(/;.*$/s, '').trim().toLowerCase();
}

/**
 * Real answers checked against the OpenAPI document: the operation and status are documented, the
 * body validates against the schema given for them ($refs resolved to the components; objects are
 * closed, so an undocumented field fails), and an error's code is one the response lists. Remembers
 * which operations it has seen answer.
 */
export class ResponseContract {
  private readonly operations: Operation[];
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly answered = new Set<string>();

  constructor(private readonly document: OpenAPIObject) {
    this.operations = Object.entries(document.paths).flatMap(([template, item]) =>
      METHODS.filter((method) => item[method] !== undefined).map((method) => ({
        name: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        matches: pathMatcher(template),
        responses: item[method]!.responses as Record<string, DocumentedResponse>,
      })),
    );
    // Strict: a keyword ajv does not know is a mistake in the document, except OpenAPI's `example`.
    this.ajv = new Ajv({ allErrors: true, strict: true });
    this.ajv.addVocabulary(['example']);
    addFormats(this.ajv);
  }

  /** Every operation of the document, "METHOD /path/{param}". */
  get operationNames(): string[] {
    return this.operations.map((operation) => operation.name);
  }

  /** The operations no checked answer came from yet. */
  unanswered(): string[] {
    return this.operationNames.filter((name) => !this.answered.has(name));
  }

  /** Throws, saying what differs, unless the document describes this answer. */
  check(response: Response): void {
    // The request is on the response at run time; superagent's types leave it out.
    const { req: request } = response as unknown as { req: { method: string; path: string } };
    const path = request.path.replace(/\?.*$/s, '');
    const operation = this.operationOf(request.method, path);
    const where = `${operation.name} answered ${response.status}`;
    const documented = operation.responses[String(response.status)];
    if (documented === undefined) throw new Error(`${where}, a status the document does not list: ${response.text}`);
    this.answered.add(operation.name);

    const contentType = response.headers['content-type'] as string | undefined;
    const media = Object.entries(documented.content ?? {});
    if (media.length === 0) {
      if (response.text !== '') throw new Error(`${where} with a body the document does not describe: ${response.text}`);
      return;
    }
    const found = media.find(([type]) => contentType !== undefined && mediaTypeOf(type) === mediaTypeOf(contentType));
    if (found === undefined) throw new Error(`${where} as ${contentType}; documented: ${media.map(([type]) => type).join(', ')}`);
    const [mediaType, { schema }] = found;
    if (schema === undefined) throw new Error(`${where}: no schema for ${mediaType}`);
    const body: unknown = mediaTypeOf(mediaType) === 'application/json' ? response.body : response.text;
    const validate = this.validatorFor(`${operation.name} ${response.status} ${mediaType}`, schema);
    if (!validate(body)) {
      throw new Error(`${where} with a body its schema refuses:\n${this.ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(body, null, 2)}`);
    }
    const codes = documented[ERROR_CODES_EXTENSION];
    const code = (body as { error?: { code?: unknown } }).error?.code;
    if (codes !== undefined && !codes.includes(code as string)) throw new Error(`${where} ${String(code)}, a code the document does not list (${codes.join(', ')})`);
  }

  private operationOf(method: string, path: string): Operation {
    const [operation, ...others] = this.operations.filter((candidate) => candidate.method === method && candidate.matches(path));
    if (operation === undefined || others.length > 0) throw new Error(`${method} ${path} is ${operation === undefined ? 'no' : 'more than one'} operation of the document`);
    return operation;
  }

  /** The components become the schema's `$defs`, so the document's $refs resolve as they are written. */
  private validatorFor(key: string, schema: object): ValidateFunction {
    let validate = this.validators.get(key);
    if (validate === undefined) {
      const text = JSON.stringify({ ...schema, $defs: this.document.components?.schemas ?? {} });
      validate = this.ajv.compile(JSON.parse(text.replaceAll('"#/components/schemas/', '"#/$defs/')));
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** "/v1/lots/{lotId}" → a test of a real path: one segment per parameter. */
function pathMatcher(template: string): (path: string) => boolean {
  const pattern = new RegExp(`^${template.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}$`);
  return (path) => pattern.test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
