import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Loads a thread's TypeScript modules when the store itself runs from its sources (jest, ts-node; the
 * compiled service starts the emitted `.js` file directly): each file transpiled by TypeScript once and
 * kept in a cache folder under its path and content hash, so a thread starts in about the time the
 * compiled one does instead of loading the compiler each time (~0.3 s of CPU; tests open hundreds of
 * stores).
 */
const FROM_SOURCES = `
const { workerData, threadId } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { join } = require('node:path');
const Module = require('node:module');
// tsconfig.json's path aliases: @app/<lib>[/<path>] is libs/<lib>/src[/<path>].
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request.startsWith('@app/')) {
    const [lib, ...path] = request.slice('@app/'.length).split('/');
    request = join(workerData.libsDir, lib, 'src', ...path);
  }
  return resolveFilename.call(this, request, ...rest);
};
let ts;
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const cached = join(workerData.cacheDir, createHash('sha256').update(filename + '\\0' + source).digest('hex') + '.js');
  let js;
  try {
    js = fs.readFileSync(cached, 'utf8');
  } catch {
    ts ??= require(workerData.typescript);
    js = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true, experimentalDecorators: true },
    }).outputText;
    fs.mkdirSync(workerData.cacheDir, { recursive: true });
    const partial = cached + '.' + process.pid + '-' + threadId;
    fs.writeFileSync(partial, js);
    fs.renameSync(partial, cached);
  }
  module._compile(js, filename);
};
require(workerData.entry);
`;

/**
 * Starts the thread module at `entry` (its path without extension, e.g. `join(__dirname, 'x-thread')`),
 * compiled (`.js` beside the compiled caller) or from its `.ts` sources.
 */
export function startWorker(entry: string, data: object): Worker {
  const compiled = `${entry}.js`;
  // execArgv [] : the thread needs none of the process's flags (preloads, --cpu-prof).
  if (__filename.endsWith('.js') && existsSync(compiled)) return new Worker(compiled, { workerData: data, execArgv: [] });
  const sources = {
    entry: `${entry}.ts`,
    typescript: require.resolve('typescript'),
    cacheDir: join(tmpdir(), 'ledger-event-store-threads'),
    libsDir: resolve(__dirname, '../../..'),
  };
  return new Worker(FROM_SOURCES, { eval: true, execArgv: [], workerData: { ...data, ...sources } });
}
