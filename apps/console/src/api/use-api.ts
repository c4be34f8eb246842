import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, get, type Query } from './client';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Fetches again (after a command). */
  reload: () => void;
}

/**
 * A GET route's answer for a component, fetched when `path`, `query` or `version` change (a page bumps
 * `version` after a command) and again every `refreshMs` if given. `path` undefined fetches nothing (a
 * look that waits for something else).
 */
export function useApi<T>(path: string | undefined, query?: Query, refreshMs?: number, version = 0): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== undefined);
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  const queryKey = JSON.stringify(query ?? {});
  // What `data` is the answer to: another path or query drops it at once (no other lot's data meanwhile);
  // a refresh or a new version keeps it on screen until the new answer.
  const shown = useRef<string>(undefined);

  useEffect(() => {
    if (path === undefined) return undefined;
    const controller = new AbortController();
    const key = `${path}?${queryKey}`;
    if (shown.current !== key) {
      shown.current = key;
      setData(undefined);
      setError(undefined);
    }
    setLoading(true);
    get<T>(path, JSON.parse(queryKey) as Query, controller.signal).then(
      (answer) => {
        setData(answer);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure instanceof ApiError ? failure : new ApiError(0, 'CLIENT_ERROR', String(failure)));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [path, queryKey, round, version]);

  useEffect(() => {
    if (path === undefined || !refreshMs) return undefined;
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [path, refreshMs, reload]);

  return { data, error, loading, reload };
}
