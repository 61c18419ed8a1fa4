import * as path from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import { PercentOrAbsolute } from 'cdk8s-plus-28';
import { BackendExample, ExternalDatabaseExample, ShopExample, WebappExample } from '../examples';
import { ContainerPort, Credentials, DeploymentStrategy, Exposure, Microservice, Persistence, Profile, VotingAppChart, VotingAppChartProps, VotingAppFleet } from '../lib';
import { find, Manifest, TEST_PASSWORD } from './support/manifests';
import {
  ensureValidator, filesUnder, formatProblems, KUBERNETES_VERSION, MANIFEST_EXTENSIONS, SchemaInput, SchemaReport, validate,
} from './support/schema';

// The first run installs the validator from PyPI (about half a minute).
const INSTALL_TIMEOUT = 600_000;
const DIST = path.resolve(__dirname, '..', 'dist');
const credentials = Credentials.fromPassword({ password: TEST_PASSWORD });

function chartOf(build: (app: App) => Chart): Manifest[] {
  return build(new App()).toJson() as Manifest[];
}

function votingAppChart(props: Partial<VotingAppChartProps>): Manifest[] {
  return chartOf(app => new VotingAppChart(app, 'voting-app', { credentials, ...props }));
}

/** Every chart the project synthesizes, and the prop combinations its tests use. */
const SYNTHESIZED: Record<string, () => Manifest[]> = {
  'voting app, dev profile (defaults)': () => votingAppChart({}),
  'voting app, production profile': () => chartOf(app => new VotingAppChart(app, 'production', { profile: Profile.PRODUCTION })),
  'voting app, LoadBalancer exposure': () => votingAppChart({ voteExposure: Exposure.loadBalancer(80), resultExposure: Exposure.loadBalancer(80) }),
  'voting app, ClusterIP exposure and no network policies': () => votingAppChart({ voteExposure: Exposure.clusterIp(80), resultExposure: Exposure.clusterIp(80), networkPolicies: false }),
  'voting app, claim with storage class, 3 sticky result pods, autoscaling, spread': () => votingAppChart({
    persistence: Persistence.claim({ size: Size.mebibytes(1536), storageClass: 'fast-ssd' }),
    replicas: { vote: 2, result: 3, worker: 2 }, resultStickySessions: true, autoscaling: true, spreadAcrossNodes: true,
  }),
  'voting app, credentials from an existing Secret': () => votingAppChart({ credentials: Credentials.fromSecretName('db-login', { usernameKey: 'user', passwordKey: 'pass' }) }),
  'voting app, external database': () => votingAppChart({ credentials: undefined, externalDatabase: { host: 'votes.example.com' } }),
  'fleet of 2 tenants': () => chartOf(app => new VotingAppFleet(app, 'fleet', { tenants: 2, credentials })),
  'example webapp': () => chartOf(app => new WebappExample(app, 'webapp')),
  'example backend': () => chartOf(app => new BackendExample(app, 'backend')),
  'example external database': () => chartOf(app => new ExternalDatabaseExample(app, 'external-database')),
  'example shop': () => chartOf(app => new ShopExample(app, 'shop')),
  'voting app, redis on a claim': () => votingAppChart({ redisPersistence: Persistence.claim({ size: Size.gibibytes(1) }) }),
  'microservices with tuned stopping and rolling updates': () => chartOf(app => {
    const chart = new Chart(app, 'tuned', { namespace: 'tuned' });
    const http = ContainerPort.tcp('http', 8080);
    new Microservice(chart, 'drains', {
      image: 'web:1.0', ports: [http], shutdown: { drainCommand: ['/busybox/sleep', '10'], drainPause: Duration.seconds(10), gracePeriod: Duration.seconds(70) },
      rollingUpdate: { maxSurge: PercentOrAbsolute.absolute(2), maxUnavailable: PercentOrAbsolute.percent(10) },
    });
    new Microservice(chart, 'recreates', { image: 'db:1.0', ports: [http], strategy: DeploymentStrategy.RECREATE, shutdown: { gracePeriod: Duration.seconds(90) } });
    return chart;
  }),
};

function deepCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

// Each mistake is made on a copy of the real vote Deployment, so every other
// field is one the validator has accepted.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const MISTAKES: Array<[string, (d: any) => void, string]> = [
  ['an unknown Deployment spec field (spec.replicaz)', d => { d.spec.replicaz = 2; },
    "spec: Additional properties are not allowed ('replicaz' was unexpected)"],
  ['an unknown container field (imagePullPolicyy)', d => { d.spec.template.spec.containers[0].imagePullPolicyy = 'Always'; },
    "spec.template.spec.containers.0: Additional properties are not allowed ('imagePullPolicyy' was unexpected)"],
  ['an unknown metadata field (metadata.labelz)', d => { d.metadata.labelz = { a: 'b' }; },
    "metadata: Additional properties are not allowed ('labelz' was unexpected)"],
  ['an unknown top-level field (specs)', d => { d.specs = d.spec; },
    "(root): Additional properties are not allowed ('specs' was unexpected)"],
  ['replicas as a string', d => { d.spec.replicas = 'two'; },
    "spec.replicas: 'two' is not of type 'integer', 'null'"],
  ['containerPort as a string', d => { d.spec.template.spec.containers[0].ports[0].containerPort = '80'; },
    "spec.template.spec.containers.0.ports.0.containerPort: '80' is not of type 'integer'"],
  ['a label value that is a number', d => { d.spec.template.metadata.labels.tier = 1; },
    "spec.template.metadata.labels.tier: 1 is not of type 'string', 'null'"],
  ['env as a map instead of a list', d => { d.spec.template.spec.containers[0].env = { OPTION_A: 'Cats' }; },
    "spec.template.spec.containers.0.env: {'OPTION_A': 'Cats'} is not of type 'array', 'null'"],
  ['a container without a name', d => { delete d.spec.template.spec.containers[0].name; },
    "spec.template.spec.containers.0: 'name' is a required property"],
  ['a Deployment without a selector', d => { delete d.spec.selector; },
    "spec: 'selector' is a required property"],
  ['a field that only Kubernetes 1.29 knows (preStop sleep)', d => { d.spec.template.spec.containers[0].lifecycle = { preStop: { sleep: { seconds: 5 } } }; },
    "spec.template.spec.containers.0.lifecycle.preStop: Additional properties are not allowed ('sleep' was unexpected)"],
  ['an apiVersion that Kubernetes 1.28 no longer serves (apps/v1beta2)', d => { d.apiVersion = 'apps/v1beta2'; },
    "Couldn't find schema for kind Deployment with api version apps/v1beta2 for kubernetes version 1.28"],
];

describe(`schema validation against Kubernetes ${KUBERNETES_VERSION}, strict`, () => {
  const vote = find(votingAppChart({}), 'Deployment', 'vote');
  const mistakes: SchemaInput[] = [
    { source: 'unchanged', object: vote },
    { source: 'not an object', object: { name: 'x' } },
    ...MISTAKES.map(([name, mutate]) => {
      const copy = deepCopy(vote);
      mutate(copy);
      return { source: name, object: copy };
    }),
  ];
  // A custom resource is checked against its CustomResourceDefinition in the batch: dist/fleet's ApplySet parent type.
  const parent = { apiVersion: 'cdk8s-voting-app.io/v1', kind: 'ApplySet', metadata: { name: 'fleet' } };
  const customMistakes: Array<[string, unknown, string]> = [
    ['an ApplySet parent with a field its type does not have', { ...parent, spec: { members: [] } }, "ApplySet fleet: (root): Additional properties are not allowed ('spec' was unexpected)"],
    ['an ApplySet parent in a namespace (its type is cluster-scoped)', { ...parent, metadata: { name: 'fleet', namespace: 'tenant-001' } }, 'ApplySet tenant-001/fleet: metadata.namespace: kind ApplySet is cluster-scoped'],
  ];
  mistakes.push(...customMistakes.map(([source, object]) => ({ source, object })));
  const files = filesUnder(DIST);
  const synthesized: SchemaInput[] = Object.entries(SYNTHESIZED).flatMap(([name, build]) =>
    build().map((object, i) => ({ source: `${name}#${i + 1}`, object })));
  // Everything below is validated in one run of the validator; each test reads its part (by source).
  let report: SchemaReport;
  beforeAll(() => {
    ensureValidator();
    report = validate({ objects: [...mistakes, ...synthesized], files: files.filter(f => MANIFEST_EXTENSIONS.includes(path.extname(f))) });
  }, INSTALL_TIMEOUT);

  describe('the validator rejects what the API server would', () => {

    test('GIVEN the vote Deployment as synthesized THEN it is valid', () => {
      expect(report.problems.filter(p => p.source === 'unchanged')).toEqual([]);
    });

    test.each(MISTAKES)('GIVEN %s THEN it fails with the exact message', (name, _mutate, message) => {
      expect(report.problems.filter(p => p.source === name).map(p => `${p.object}: ${p.message}`))
        .toEqual([`Deployment voting-app/vote: ${message}`]);
    });

    test.each(customMistakes)('GIVEN %s THEN it fails with the exact message', (name, _object, message) => {
      expect(report.problems.filter(p => p.source === name).map(p => `${p.object}: ${p.message}`)).toEqual([message]);
    });

    test('GIVEN something that is not a Kubernetes object THEN it fails', () => {
      expect(formatProblems(report.problems.filter(p => p.source === 'not an object')))
        .toEqual(['not an object (?) not a Kubernetes object: no apiVersion and kind']);
    });
  });

  describe('every file under dist/', () => {
    test('GIVEN dist/ THEN it holds manifests, and only manifests (kubectl apply -f dist/ -R reads them all)', () => {
      expect(files.length).toBeGreaterThan(0);
      expect(files.filter(f => !MANIFEST_EXTENSIONS.includes(path.extname(f))).map(f => path.relative(DIST, f))).toEqual([]);
    });

    test.each(filesUnder(DIST).map(f => path.relative(path.dirname(DIST), f)))('GIVEN %s THEN every object in it is valid', file => {
      expect(report.objectsBySource[file]).toBeGreaterThan(0);
      expect(formatProblems(report.problems.filter(p => p.source === file || p.source.startsWith(`${file}#`)))).toEqual([]);
    });
  });

  describe('objects synthesized in tests', () => {
    test.each(Object.keys(SYNTHESIZED))('GIVEN the %s THEN every object is valid', name => {
      expect(report.objectsBySource[name]).toBeGreaterThan(0);
      expect(formatProblems(report.problems.filter(p => p.source.startsWith(`${name}#`)))).toEqual([]);
    });
  });
});
