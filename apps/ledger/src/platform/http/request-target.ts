/** The `http://host` of a request target in absolute form (`GET http://host/health HTTP/1.1`). */
const ABSOLUTE_FORM_ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i;

/** The path a request target names, as sent: without the origin of an absolute form, the query or a fragment. */
export function pathOf(target: string): string {
  return target.replace(ABSOLUTE_FORM_ORIGIN, '').split(/[?#]/)[0];
}

/** A percent-encoded path segment decoded, or undefined when its encoding is malformed ("%E0%A4%A"). */
export function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
