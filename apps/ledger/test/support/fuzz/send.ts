import { Agent, request } from 'node:http';
import type { FuzzRequest } from './invalid-requests';

export interface FuzzAnswer {
  status: number;
  contentType: string | undefined;
  text: string;
}

/** One agent for the whole run: keep-alive, so thousands of requests do not exhaust ephemeral ports. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export function closeFuzzAgent(): void {
  agent.destroy();
}

/** Sends the request as built (no header or body of its own added) and reads the whole answer. */
export function send(port: number, fuzz: FuzzRequest, authorization: string): Promise<FuzzAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: authorization, ...fuzz.headers };
    if (fuzz.body !== undefined) headers['Content-Length'] = String(fuzz.body.length);
    const outgoing = request({ host: '127.0.0.1', port, method: 'POST', path: fuzz.path, headers, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, contentType: incoming.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') }),
      );
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(fuzz.body);
  });
}

const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

/** Why the answer is not a documented refusal (4xx, `{"error":{"code","message","field"?}}` and nothing else); undefined when it is. */
export function refusalProblem(answer: FuzzAnswer): string | undefined {
  if (answer.status < 400 || answer.status > 499) return `status ${answer.status}`;
  if (!/^application\/json\b/.test(answer.contentType ?? '')) return `content type ${answer.contentType}`;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return 'body is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).join() !== 'error') return 'body is not {error}';
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null || Array.isArray(error)) return 'error is not an object';
  const { code, message, field, ...rest } = error as Record<string, unknown>;
  if (typeof code !== 'string' || !UPPER_SNAKE.test(code)) return `code ${JSON.stringify(code)} is not UPPER_SNAKE`;
  if (typeof message !== 'string' || message === '') return 'message is not a non-empty string';
  if (field !== undefined && typeof field !== 'string') return 'field is not a string';
  if (Object.keys(rest).length > 0) return `unexpected keys ${Object.keys(rest).join(', ')}`;
  return undefined;
}
