import type { preValidationHookHandler } from 'fastify';
import { pathOf } from './request-target';

/**
 * Routes match the path as it was sent, only path parameters being percent-decoded: "/%68ealth" is not
 * "/health", as it never was. Fastify decodes the whole path before routing, so a request that spells a
 * fixed segment of its route in percent-escapes is sent to the not-found handler here. A preValidation
 * hook, after readJsonBody: a bad body is refused first, whatever the path, as before.
 */
export const routePathsAsSent: preValidationHookHandler = (request, reply, done) => {
  if (request.is404 || !request.url.includes('%') || spells(pathOf(request.url), request.routeOptions.url ?? '')) {
    done();
    return;
  }
  reply.callNotFound();
};

/** Whether `path` spells `template` (`/v1/lots/:lotId`, `/docs/*`) segment by segment, in any letter case, with one trailing slash or none. */
function spells(path: string, template: string): boolean {
  const sent = path.split('/');
  const fixed = template.split('/');
  if (fixed[fixed.length - 1] === '*') {
    fixed.pop();
    sent.splice(fixed.length);
  } else if (sent.length === fixed.length + 1 && sent[sent.length - 1] === '') {
    sent.pop();
  }
  return sent.length === fixed.length && fixed.every((part, index) => (part.startsWith(':') ? sent[index] !== '' : sent[index].toLowerCase() === part.toLowerCase()));
}
