import { FIRST_LOAD_CEILING_KIB, firstLoadUrls, kib, measureFirstLoad, report } from '../../../tools/console/bundle-size';
import { CONSOLE_DIST, assertConsoleBuilt } from './support/console-service';

describe('the console’s first load (npm run console:size)', () => {
  it('counts what index.html loads at first: scripts, module preloads and stylesheets, each once', () => {
    const html = `<!doctype html><html><head>
      <link rel="icon" href="/console/favicon.svg">
      <script type="module" crossorigin src="/console/assets/index-a1.js"></script>
      <link rel="modulepreload" crossorigin href="/console/assets/vendor-b2.js">
      <link rel='stylesheet' crossorigin href='/console/assets/index-c3.css'>
      <link rel="modulepreload" href="/console/assets/vendor-b2.js">
      </head><body><div id="root"></div></body></html>`;
    expect(firstLoadUrls(html)).toEqual([
      { url: '/console/assets/index-a1.js', kind: 'js' },
      { url: '/console/assets/vendor-b2.js', kind: 'js' },
      { url: '/console/assets/index-c3.css', kind: 'css' },
    ]);
  });

  it(`stays under ${FIRST_LOAD_CEILING_KIB} KiB of gzipped JavaScript and CSS (a ceiling on the build, not a timing)`, () => {
    assertConsoleBuilt();
    const load = measureFirstLoad(CONSOLE_DIST);
    expect(load.files.some((file) => file.kind === 'js')).toBe(true);
    // The figure docs/benchmarks.md reports, printed where a failing run shows it.
    if (load.gzipBytes >= FIRST_LOAD_CEILING_KIB * 1024) throw new Error(`first load ${kib(load.gzipBytes)} KiB gzip:\n${report(load)}`);
    expect(load.gzipBytes).toBeLessThan(FIRST_LOAD_CEILING_KIB * 1024);
  });
});
