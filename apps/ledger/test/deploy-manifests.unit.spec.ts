import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadLedgerConfig } from '../src/platform/config/ledger-config';

/**
 * No container engine runs here, so deploy/ is checked statically: every YAML file parses, and the
 * ledger's containers are given only variables the ledger reads, with values its config accepts.
 */
const DEPLOY = resolve(__dirname, '../../../deploy');

/** The variables loadLedgerConfig reads, found by watching it read an empty environment. */
function variablesTheConfigReads(): Set<string> {
  const read = new Set<string>();
  loadLedgerConfig(new Proxy({}, { get: (_target, name) => (typeof name === 'string' && read.add(name), undefined) }));
  return read;
}

/** Read by the access-control work (global JWT guard) rather than loadLedgerConfig on this branch. */
const ACCESS_CONTROL_VARIABLES = ['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY'];
const KNOWN = new Set([...variablesTheConfigReads(), ...ACCESS_CONTROL_VARIABLES]);

function yamlFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

type Json = Record<string, any>;

/** The first document of a YAML file. */
function documentOf(path: string): Json {
  const [first] = documentsOf(path);
  if (first === undefined) throw new Error(`${relative(DEPLOY, path)}: no YAML document`);
  return first;
}

function documentsOf(path: string): Json[] {
  // Compose files use YAML merge keys (`<<: *anchor`), as Docker Compose reads them.
  return parseAllDocuments(readFileSync(path, 'utf8'), { merge: true }).map((document) => {
    if (document.errors.length > 0) throw new Error(`${relative(DEPLOY, path)}: ${document.errors.map((error) => error.message).join('; ')}`);
    return document.toJS() as Json;
  });
}

describe('deploy/', () => {
  it('knows the ledger variables from the config itself', () => {
    expect([...KNOWN].sort()).toEqual(
      expect.arrayContaining(['PORT', 'LEDGER_DB_PATH', 'EVENTSTORE_CONNECTION_STRING', 'KAFKA_BROKERS', 'KAFKA_PUBLISHER', 'LOG_LEVEL', 'READ_MODEL_DB_PATH']),
    );
  });

  it.each(yamlFiles(DEPLOY).map((path) => relative(DEPLOY, path)))('%s parses', (file) => {
    const documents = documentsOf(join(DEPLOY, file));
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) expect(document).toEqual(expect.any(Object));
  });

  describe('compose/docker-compose.yml', () => {
    const services: Record<string, Json> = documentOf(join(DEPLOY, 'compose/docker-compose.yml')).services;
    const ledgers = Object.entries(services).filter(([, service]) => service.build?.dockerfile === 'deploy/Dockerfile');
    /** `${NAME:-}` as Compose renders it with NAME unset. */
    const rendered = (environment: Record<string, string>) =>
      Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, String(value).replace(/^\$\{[A-Z_]+:-\}$/, '')]));

    it('runs three EventStoreDB nodes and three Kafka brokers', () => {
      expect(Object.values(services).filter((service) => String(service.image).startsWith('eventstore/eventstore:'))).toHaveLength(3);
      const brokers = Object.values(services).filter((service) => String(service.image).startsWith('apache/kafka:') && service.environment?.KAFKA_NODE_ID);
      expect(brokers.map((broker) => broker.environment.KAFKA_PROCESS_ROLES)).toEqual(['broker,controller', 'broker,controller', 'broker,controller']);
    });

    it('runs two API replicas and one publisher of the ledger image', () => {
      expect(ledgers.map(([name, service]) => [name, service.environment.KAFKA_PUBLISHER])).toEqual([
        ['ledger-api-1', 'off'],
        ['ledger-api-2', 'off'],
        ['ledger-publisher', 'on'],
      ]);
    });

    it.each(ledgers)('%s sets only variables the ledger reads, with values its config accepts', (name, service) => {
      const environment = rendered(service.environment);
      expect(Object.keys(environment).filter((variable) => !KNOWN.has(variable))).toEqual([]);
      const config = loadLedgerConfig(environment);
      expect(config.store).toEqual({ eventStoreConnectionString: 'esdb://esdb-1:2113,esdb-2:2113,esdb-3:2113?tls=false' });
      expect(config.kafkaBrokers).toHaveLength(3);
    });

    it.each(ledgers)('%s keeps its metrics listener on the container’s loopback (the default), unpublished', (_name, service) => {
      expect(loadLedgerConfig(rendered(service.environment)).metrics).toEqual({ host: '127.0.0.1', port: 9464 });
      expect((service.ports as string[]).filter((port) => port.endsWith(':9464'))).toEqual([]);
    });
  });

  describe('k8s/', () => {
    const resources = yamlFiles(join(DEPLOY, 'k8s'))
      .flatMap(documentsOf)
      .filter((resource) => resource.kind !== 'Kustomization');
    const named = (kind: string, name: string) => resources.find((resource) => resource.kind === kind && resource.metadata.name === name)!;
    const configMap = named('ConfigMap', 'bid-bond-ledger-config');
    const deployments = resources.filter((resource) => resource.kind === 'Deployment');
    const api = named('Deployment', 'bid-bond-ledger-api');
    const publisher = named('Deployment', 'bid-bond-ledger-publisher');
    const container = (deployment: Json) => deployment.spec.template.spec.containers[0];

    it('holds no Secret: the connection string and the JWT key are references to one', () => {
      expect(resources.filter((resource) => resource.kind === 'Secret')).toEqual([]);
      for (const deployment of deployments) {
        const fromSecrets = container(deployment).env.filter((variable: Json) => variable.valueFrom?.secretKeyRef);
        expect(fromSecrets.map((variable: Json) => variable.name).sort()).toEqual(['AUTH_JWT_PUBLIC_KEY', 'AUTH_JWT_SECRET', 'EVENTSTORE_CONNECTION_STRING']);
        expect(container(deployment).env.filter((variable: Json) => /SECRET|KEY|CONNECTION/.test(variable.name) && 'value' in variable)).toEqual([]);
      }
    });

    it.each(['bid-bond-ledger-api', 'bid-bond-ledger-publisher'])('%s is given only variables the ledger reads, with values its config accepts', (name) => {
      const deployment = named('Deployment', name);
      const literal = Object.fromEntries(container(deployment).env.filter((variable: Json) => 'value' in variable).map((variable: Json) => [variable.name, variable.value]));
      const given = [...Object.keys(configMap.data), ...container(deployment).env.map((variable: Json) => variable.name)];
      expect(given.filter((variable) => !KNOWN.has(variable))).toEqual([]);
      const config = loadLedgerConfig({ ...configMap.data, ...literal, EVENTSTORE_CONNECTION_STRING: 'esdb://esdb.bank.internal:2113?tls=true' });
      expect(config.readModelDbPath.startsWith(container(deployment).volumeMounts.find((mount: Json) => mount.name === 'data').mountPath)).toBe(true);
    });

    it('runs two API replicas without the publisher, and one publisher replica with Recreate', () => {
      expect([api.spec.replicas, container(api).env.find((variable: Json) => variable.name === 'KAFKA_PUBLISHER').value]).toEqual([2, 'off']);
      expect([publisher.spec.replicas, publisher.spec.strategy.type, container(publisher).env.find((variable: Json) => variable.name === 'KAFKA_PUBLISHER').value]).toEqual([1, 'Recreate', 'on']);
    });

    it.each(['bid-bond-ledger-api', 'bid-bond-ledger-publisher'])('%s has probes, resources and a locked-down security context', (name) => {
      const spec = named('Deployment', name).spec.template.spec;
      const ledger = spec.containers[0];
      expect([ledger.startupProbe.httpGet.path, ledger.livenessProbe.httpGet.path, ledger.readinessProbe.httpGet.path]).toEqual(['/health/live', '/health/live', '/health/ready']);
      expect(ledger.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(ledger.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(ledger.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      // The drain must fit in the grace period, or SIGKILL cuts it short.
      expect(spec.terminationGracePeriodSeconds * 1_000).toBeGreaterThan(Number(configMap.data.SHUTDOWN_DRAIN_TIMEOUT_MS) + 10_000);
    });

    it('sends traffic and disruption limits to the API pods only', () => {
      const apiLabels = api.spec.template.metadata.labels;
      const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);
      const service = named('Service', 'bid-bond-ledger');
      const budget = named('PodDisruptionBudget', 'bid-bond-ledger-api');
      expect(selects(service.spec.selector, apiLabels)).toBe(true);
      expect(selects(service.spec.selector, publisher.spec.template.metadata.labels)).toBe(false);
      expect(selects(budget.spec.selector.matchLabels, apiLabels)).toBe(true);
      expect(service.spec.ports[0].targetPort).toBe(container(api).ports[0].name);
    });

    it.each(['bid-bond-ledger-api', 'bid-bond-ledger-publisher'])(
      '%s is scraped on its metrics listener, open to the pod network, never on the API port',
      (name) => {
        const deployment = named('Deployment', name);
        const literal = Object.fromEntries(container(deployment).env.filter((variable: Json) => 'value' in variable).map((variable: Json) => [variable.name, variable.value]));
        const config = loadLedgerConfig({ ...configMap.data, ...literal, EVENTSTORE_CONNECTION_STRING: 'esdb://esdb.bank.internal:2113?tls=true' });
        const ports = Object.fromEntries(container(deployment).ports.map((port: Json) => [port.name, port.containerPort]));
        const annotations = deployment.spec.template.metadata.annotations;
        expect(config.metrics).toEqual({ host: '0.0.0.0', port: 9464 });
        expect(ports).toEqual({ http: config.port, metrics: config.metrics!.port });
        expect([annotations['prometheus.io/scrape'], annotations['prometheus.io/port'], annotations['prometheus.io/path']]).toEqual(['true', String(config.metrics!.port), '/metrics']);
      },
    );

    it('keeps the metrics port out of the Service and open only to the monitoring namespace', () => {
      const service = named('Service', 'bid-bond-ledger');
      expect(service.spec.ports.map((port: Json) => port.targetPort)).toEqual(['http']);
      const policy = named('NetworkPolicy', 'bid-bond-ledger');
      expect(policy.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'bid-bond-ledger' });
      for (const deployment of deployments) expect(deployment.spec.template.metadata.labels).toMatchObject(policy.spec.podSelector.matchLabels);
      expect(policy.spec.policyTypes).toEqual(['Ingress']);
      expect(policy.spec.ingress).toEqual([
        { ports: [{ port: 'http' }] },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 'metrics' }] },
      ]);
    });

    it('lists every manifest in the kustomization', () => {
      const kustomization = documentOf(join(DEPLOY, 'k8s/kustomization.yaml'));
      const files = yamlFiles(join(DEPLOY, 'k8s')).map((path) => relative(join(DEPLOY, 'k8s'), path)).filter((file) => file !== 'kustomization.yaml');
      expect([...kustomization.resources].sort()).toEqual(files.sort());
    });
  });

  it('the image checks liveness, runs as a non-root user and starts the built entry point', () => {
    const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim|^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/health\/live/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    // The console is built into dist/ with the service, and the PDFs' CJK font is in the runtime image.
    expect(dockerfile).toMatch(/^RUN npm run build /m);
    expect(dockerfile.slice(dockerfile.lastIndexOf('FROM '))).toContain('fonts-wqy-microhei');
    const start = JSON.parse(readFileSync(resolve(DEPLOY, '../package.json'), 'utf8')).scripts.start as string;
    expect(dockerfile).toContain(`CMD [${start.split(' ').map((word) => JSON.stringify(word)).join(', ')}]`);
  });
});
