// The "never" rules of docs/architecture.md#boundaries, checked by `npm run lint:deps` (part of `npm test`).
// A rule here is the only home of that rule: the doc points to it by name.
//
// Type-only imports count (tsPreCompilationDeps): a type is knowledge of the module it comes from.
// An exception is written as its own narrow rule, named, with its reason, so it is checked too.

const npm = (...packages) => packages.map((name) => `(^|node_modules/)${name.replace('.', '\\.')}(/|$)`);
const STORE = ['^libs/event-store/', ...npm('better-sqlite3', '@eventstore/db-client')];
const FRAMEWORK = npm('@nestjs/[^/]+', 'fastify', '@fastify/[^/]+');
const SPEC = '\\.spec\\.ts$';
const LEDGER = '^apps/ledger/src/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ── The domain: pure decisions. It knows no shell, no store, no framework, no other library.
    { name: 'domain-no-shell', severity: 'error', comment: 'libs/domain imports nothing of apps/.',
      from: { path: '^libs/domain/' }, to: { path: '^apps/' } },
    { name: 'domain-no-store', severity: 'error', comment: 'libs/domain imports no event store: not @app/event-store, better-sqlite3 or @eventstore/db-client.',
      from: { path: '^libs/domain/' }, to: { path: STORE } },
    { name: 'domain-no-framework', severity: 'error', comment: 'libs/domain imports no framework (@nestjs/*, Fastify).',
      from: { path: '^libs/domain/' }, to: { path: FRAMEWORK } },
    { name: 'domain-no-other-lib', severity: 'error', comment: 'libs/domain is the bottom: it imports no messaging, projections, audit or command kernel.',
      from: { path: '^libs/domain/' }, to: { path: '^libs/(messaging|projections|audit|command-kernel)/' } },
    { name: 'domain-no-io', severity: 'error', comment: 'libs/domain (its code, not its specs) does no I/O: of packages and Node modules only big.js and crypto (hashing).',
      from: { path: '^libs/domain/src/', pathNot: SPEC },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'],
            pathNot: ['^crypto$', ...npm('big.js')] } },

    // ── The event store: knows nothing of what it stores.
    { name: 'store-no-domain', severity: 'error', comment: 'libs/event-store imports no domain, nor any library built on it.',
      from: { path: '^libs/event-store/' }, to: { path: '^libs/(domain|command-kernel|projections|messaging|audit)/' } },

    // ── Projections: pure folds and their runner; publishing is messaging's, serving the shell's.
    { name: 'projections-no-shell', severity: 'error', comment: 'libs/projections imports nothing of apps/.',
      from: { path: '^libs/projections/' }, to: { path: '^apps/' } },
    { name: 'projections-no-messaging', severity: 'error', comment: 'libs/projections imports no messaging (libs/messaging, kafkajs): the publisher reads projections, never the reverse.',
      from: { path: '^libs/projections/' }, to: { path: ['^libs/messaging/', ...npm('kafkajs')] } },

    // ── The command kernel: the store port and the domain's plans, no framework.
    { name: 'kernel-no-framework', severity: 'error', comment: 'libs/command-kernel imports no framework (@nestjs/*, Fastify).',
      from: { path: '^libs/command-kernel/' }, to: { path: FRAMEWORK } },

    // ── Libraries never reach into the service.
    { name: 'libs-no-apps', severity: 'error', comment: 'Nothing in libs/ (code or tests) imports apps/.',
      from: { path: '^libs/', pathNot: '^libs/audit/test/support/ledger-seeder\\.ts$' }, to: { path: '^apps/' } },
    { name: 'exception-audit-seeder-uses-the-write-side', severity: 'error',
      comment: "EXCEPTION to libs-no-apps: the audit's tests audit a ledger written by the service's own, framework-free commands (not a copy of them); the seeder may import those and nothing else of apps/.",
      from: { path: '^libs/audit/test/support/ledger-seeder\\.ts$' },
      to: { path: '^apps/', pathNot: `${LEDGER}write/(banks|ledger-commands|ledger-facts)\\.ts$` } },

    // ── Apps: each talks to another only over HTTP. A client app (the console, apps/console or any app
    //    beside apps/ledger) uses only the /v1 API: it imports nothing of libs/ (wire types come from
    //    docs/openapi.json, not from the domain's internal types).
    { name: 'apps-no-other-app', severity: 'error', comment: 'An app imports nothing of another app.',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/console/test/support/' }, to: { path: '^apps/', pathNot: '^apps/$1/' } },
    { name: 'exception-console-tests-boot-the-service', severity: 'error',
      comment: "EXCEPTION to apps-no-other-app: the console's browser tests run the real service in their own process on the ledger's test harness (its test clock opens the bids); apps/console/test/support/ may import apps/ledger/test/support/ and nothing else of apps/ledger. The console's code and specs go through that support folder.",
      from: { path: '^apps/console/test/support/' }, to: { path: '^apps/(?!console/)', pathNot: '^apps/ledger/test/support/' } },
    { name: 'console-only-v1', severity: 'error', comment: 'A client app (any apps/* but apps/ledger) imports nothing of libs/: it knows the service only through /v1.',
      from: { path: '^apps/(?!ledger/)[^/]+/' }, to: { path: '^libs/' } },

    // ── The service's folders: platform/ (technical) ← write/ (commands), read/ (queries, publishing);
    //    the composition root (apps/ledger/src/*.ts) wires them and is imported by none of them.
    { name: 'platform-no-write-or-read', severity: 'error', comment: 'apps/ledger/src/platform imports neither write/ nor read/.',
      from: { path: `${LEDGER}platform/` }, to: { path: `${LEDGER}(write|read)/` } },
    { name: 'write-no-read', severity: 'error', comment: 'apps/ledger/src/write imports nothing of read/: a command decides on streams, never on read models.',
      from: { path: `${LEDGER}write/` }, to: { path: `${LEDGER}read/` } },
    { name: 'read-no-write', severity: 'error', comment: 'apps/ledger/src/read imports nothing of write/.',
      from: { path: `${LEDGER}read/`, pathNot: `${LEDGER}read/[^/]+\\.responses\\.ts$` }, to: { path: `${LEDGER}write/` } },
    { name: 'exception-read-answers-echo-command-forms', severity: 'error',
      comment: "EXCEPTION to read-no-write: a query's answer shows what a command took in the same wire form (a lot's registration, an award, a payer, the flag and status lists), declared once by that command; read/*.responses.ts may import write/**/*.dto.ts and *.responses.ts, nothing else of write/.",
      from: { path: `${LEDGER}read/[^/]+\\.responses\\.ts$` }, to: { path: `${LEDGER}write/`, pathNot: '\\.(dto|responses)\\.ts$' } },
    { name: 'folders-no-root', severity: 'error', comment: 'write/, read/ and platform/ never import the composition root (apps/ledger/src/*.ts).',
      from: { path: `${LEDGER}[^/]+/` }, to: { path: `${LEDGER}[^/]+\\.ts$` } },

    // ── Everywhere.
    { name: 'code-no-tests', severity: 'error', comment: 'Code (not specs) under apps/*/src and libs/*/src imports no test file or test support.',
      from: { path: '^(apps|libs)/[^/]+/src/', pathNot: SPEC }, to: { path: ['^(apps|libs)/[^/]+/test/', SPEC] } },
    { name: 'no-runtime-cycle', severity: 'error', comment: 'No cycle of runtime imports (a cycle closed only by a type-only import loads fine).',
      from: {}, to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } } },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    progress: { type: 'none' },
  },
};
