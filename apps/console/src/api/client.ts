import { clearToken, storedToken } from '../auth/token';

/**
 * The console's only way to the service: `/v1/...` with the session's bearer token. Errors come as the
 * API's `{error: {code, message, field?}}` and are thrown as ApiError.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field at fault in dotted form (`payer.accountNo`), when one is. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Listeners told when the service refuses the token (401): the app signs out. */
const unauthenticatedListeners = new Set<() => void>();

export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export type Query = Record<string, string | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** A POST carries a fresh Idempotency-Key unless this is false (a public route that runs no command: the sign-in). */
  idempotent?: boolean;
}

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') params.set(name, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function send(path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  const token = storedToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init: RequestInit = { method: options.method ?? 'GET', headers };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    // A fresh key per call: a retry by the browser or a proxy runs the command once.
    if (options.idempotent !== false) headers['Idempotency-Key'] = newIdempotencyKey();
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

/** 32 hex digits; crypto.getRandomValues works on plain HTTP too, where crypto.randomUUID does not. */
function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: { error?: { code?: unknown; message?: unknown; field?: unknown } } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // not the API's error shape: a proxy's page
  }
  const error = body.error ?? {};
  const code = typeof error.code === 'string' ? error.code : `HTTP_${response.status}`;
  const message = typeof error.message === 'string' ? error.message : response.statusText;
  const field = typeof error.field === 'string' ? error.field : undefined;
  if (response.status === 401) {
    clearToken();
    for (const listener of unauthenticatedListeners) listener();
  }
  return new ApiError(response.status, code, message, field);
}

/** A JSON route's answer. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options, 'application/json');
  return (await response.json()) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> =>
  api<T>(path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) });

export const post = <T>(path: string, body: unknown): Promise<T> => api<T>(path, { method: 'POST', body });

/**
 * A file the API serves (a statement, a certificate), fetched with the token and saved by the browser:
 * a plain link could not carry the Authorization header. The file name is the server's
 * (Content-Disposition) or `fallbackName`.
 */
export async function download(path: string, query: Query, fallbackName: string): Promise<void> {
  const response = await send(path, { query }, '*/*');
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded?.[1]) return decodeURIComponent(encoded[1]);
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1];
}
