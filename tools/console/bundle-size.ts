/**
 * `npm run console:size`: the console's first-load size, the JavaScript and CSS that dist/console/index.html
 * makes the browser fetch before anything is shown (its `<script src>`, `<link rel="modulepreload">` and
 * `<link rel="stylesheet">`), each gzipped at zlib's default level as a server would send it. Code split off behind a dynamic
 * import() (a page loaded only when opened) is not counted. Prints one line per file and the total in KiB;
 * exits 1 above the ceiling (400 KiB, the issue's), 2 when there is no build to measure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export const FIRST_LOAD_CEILING_KIB = 400;
/** The path the console is served under (vite's `base`). */
const BASE = '/console/';

export interface LoadedFile {
  /** As index.html names it, e.g. /console/assets/index-abc123.js. */
  url: string;
  kind: 'js' | 'css';
  bytes: number;
  gzipBytes: number;
}

export interface FirstLoad {
  files: LoadedFile[];
  bytes: number;
  gzipBytes: number;
}

/** The URLs of the scripts, module preloads and stylesheets of an HTML page, in order, each once. */
export function firstLoadUrls(html: string): { url: string; kind: 'js' | 'css' }[] {
  const found: { url: string; kind: 'js' | 'css' }[] = [];
  const seen = new Set<string>();
  const attribute = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)?.slice(1).find((value) => value !== undefined);
  for (const [tag] of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
    let url: string | undefined;
    let kind: 'js' | 'css' | undefined;
    if (/^<script/i.test(tag)) {
      url = attribute(tag, 'src');
      kind = 'js';
    } else {
      const rel = attribute(tag, 'rel')?.toLowerCase().split(/\s+/) ?? [];
      url = attribute(tag, 'href');
      kind = rel.includes('modulepreload') ? 'js' : rel.includes('stylesheet') ? 'css' : undefined;
    }
    if (url === undefined || kind === undefined || seen.has(url)) continue;
    seen.add(url);
    found.push({ url, kind });
  }
  return found;
}

/** The first load of the console built into `distDir` (dist/console by default). */
export function measureFirstLoad(distDir = resolve(__dirname, '../../dist/console')): FirstLoad {
  const indexPath = resolve(distDir, 'index.html');
  if (!existsSync(indexPath)) throw new Error(`${indexPath} is missing: run npm run build:console`);
  const files = firstLoadUrls(readFileSync(indexPath, 'utf8')).map(({ url, kind }): LoadedFile => {
    if (/^[a-z]+:\/\//i.test(url)) throw new Error(`index.html loads ${url} from another origin: the console must be self-contained`);
    const relative = url.startsWith(BASE) ? url.slice(BASE.length) : url.replace(/^\.?\//, '');
    const content = readFileSync(resolve(distDir, relative.replace(/[?#].*$/, '')));
    return { url, kind, bytes: content.length, gzipBytes: gzipSync(content).length };
  });
  return {
    files,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
  };
}

export const kib = (bytes: number) => (bytes / 1024).toFixed(1);

export function report(load: FirstLoad): string {
  const lines = load.files.map((file) => `${kib(file.gzipBytes).padStart(8)} KiB gzip  ${kib(file.bytes).padStart(8)} KiB raw  ${file.url}`);
  lines.push(`${kib(load.gzipBytes).padStart(8)} KiB gzip  ${kib(load.bytes).padStart(8)} KiB raw  first load (ceiling ${FIRST_LOAD_CEILING_KIB} KiB gzip)`);
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  let load: FirstLoad;
  try {
    load = measureFirstLoad(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
  } catch (error) {
    process.stderr.write(`console:size: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  process.stdout.write(report(load));
  if (load.gzipBytes > FIRST_LOAD_CEILING_KIB * 1024) {
    process.stderr.write(`console:size: the first load is ${kib(load.gzipBytes)} KiB gzip, above ${FIRST_LOAD_CEILING_KIB} KiB\n`);
    process.exit(1);
  }
}
