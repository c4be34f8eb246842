import { type Socket, connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The client side's port: one per TCP connection. */
  localPort: number;
}

/**
 * POSTs the same JSON request over `count` TCP connections of their own: all are connected first, then
 * every request is written in one synchronous loop, so none can be answered before all are on the wire
 * (with the server in this process, not even read). `Connection: close`, one request per connection.
 */
export async function postOnDistinctConnections(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
  count: number,
): Promise<RawResponse[]> {
  const sockets = await Promise.all(Array.from({ length: count }, () => connected(port)));
  const request = Buffer.from(
    [
      `POST ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Connection: close',
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      '',
      body,
    ].join('\r\n'),
  );
  const answers = sockets.map((socket) => ({ socket, raw: readAll(socket) }));
  for (const socket of sockets) socket.write(request);
  return Promise.all(answers.map(async ({ socket, raw }) => ({ ...parseResponse(await raw), localPort: socket.localPort! })));
}

/**
 * Sends `request` exactly as written (no header added or normalised) on a connection of its own and
 * returns everything the server wrote until the connection closed (a request should say `Connection:
 * close`); a connection the server reset after answering still gives its answer.
 */
export async function exchangeRaw(port: number, request: string): Promise<string> {
  const socket = await connected(port);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk)).on('error', () => undefined);
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.write(request);
  await closed;
  return Buffer.concat(chunks).toString('latin1');
}

function connected(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket)).once('error', reject);
  });
}

function readAll(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
  });
}

/** A whole HTTP/1.1 response read until the server closed the connection: the body is the rest. */
function parseResponse(raw: Buffer): Omit<RawResponse, 'localPort'> {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`incomplete HTTP response: ${JSON.stringify(raw.toString('utf8', 0, 200))}`);
  const [statusLine, ...headerLines] = raw.toString('latin1', 0, split).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  const headers = Object.fromEntries(
    headerLines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  if (headers['transfer-encoding'] !== undefined) throw new Error(`unexpected Transfer-Encoding ${headers['transfer-encoding']}`);
  const payload = raw.subarray(split + 4).toString('utf8');
  return { status, headers, body: payload === '' ? undefined : JSON.parse(payload) };
}
