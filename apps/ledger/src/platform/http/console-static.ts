import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where the console is served: `/console/` (`/console` redirects there). */
export const CONSOLE_PATH = '/console';

/**
 * The built console (`npm run build:console` writes it): dist/console of the repository, found from this
 * file whether it runs from the sources (ts-node, jest) or from dist/ (`npm start`).
 */
export function consoleDistDir(from: string = __dirname): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'console');
}

/** Hashed assets never change under their name; the page itself is checked every time. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The console's page may load only its own scripts and talk only to this service; antd writes its styles
 * into <style> elements (CSS-in-JS), hence 'unsafe-inline' for styles only.
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

/**
 * Serves the built console at /console without a token (static files: they hold no data; the console
 * calls /v1 with the user's token like any client). A path under /console/ whose last segment has a dot
 * is a file (a missing one is the API's 404); any other answers the console's index.html, whose router
 * shows that page (SPA fallback). Files are read from disk per request, so a console built after the
 * service started (or rebuilt) is served as it is now; until it is built, /console is a 404 (logged at start).
 */
export function serveConsole(app: NestFastifyApplication, root: string = consoleDistDir()): void {
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) new Logger('Console').warn(`${indexFile} is missing, /console answers 404 until it is built: run npm run build:console`);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;

  // Not awaited: the plugin loads when the app starts, after Nest has set its error and not-found handlers,
  // so that this context inherits them (a refused file path answers in the API's shape, as /docs does).
  void fastify.register(async (scope) => {
    // reply.sendFile in this scope only (the OpenAPI UI registers its own copy without it); no routes of its own.
    await scope.register(fastifyStatic, {
      root,
      serve: false,
      setHeaders: (reply, path) => {
        if (path.endsWith('.html')) pageHeaders(reply);
        else reply.header('cache-control', path.includes('/assets/') ? IMMUTABLE : 'no-cache');
      },
    });

    const sendIndex = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
      // `/console` (routes ignore one trailing slash, so it reaches this route) goes to `/console/`, the
      // base the page's links and router expect.
      const [path = '', query] = request.url.split(/\?(.*)/s, 2);
      if (path.toLowerCase() === CONSOLE_PATH) return reply.redirect(`${CONSOLE_PATH}/${query ? `?${query}` : ''}`, 301);
      let html: string;
      try {
        html = readFileSync(indexFile, 'utf8');
      } catch {
        reply.callNotFound();
        return reply;
      }
      pageHeaders(reply);
      return reply.type('text/html; charset=utf-8').send(html);
    };
    scope.get(`${CONSOLE_PATH}/`, sendIndex);
    scope.get(`${CONSOLE_PATH}/*`, (request, reply) => {
      const rest = (request.params as { '*'?: string })['*'] ?? '';
      if (!(rest.split('/').pop() ?? '').includes('.')) return sendIndex(request, reply);
      return reply.sendFile(rest);
    });
  });
}

function pageHeaders(reply: FastifyReply): void {
  reply.header('cache-control', 'no-cache');
  reply.header('content-security-policy', PAGE_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
}
