// Stacks for the dry-run judge (dry-run-judge.e2e.test.ts): fast-check arbitraries of valid
// stacks, as plain data a failure can print, and mutations that each change one thing the
// way a user might mistype it. `buildStack` turns the data into an App through the library's
// public API only, so the judge tests what users can write.
import { App, Chart, Duration } from 'cdk8s';
import { EnvValue, PercentOrAbsolute, ServiceType } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  AppNamespace, Autoscaling, ContainerPort, Credentials, DeploymentStrategy, DisruptionBudget, ExternalNameService, HealthCheck, IngressPolicy,
  IWorkload, Microservice, PodSecurityLevel, Volume, VolumeMount, Workload,
} from '../../../lib';

export type Level = 'privileged' | 'baseline' | 'restricted';

export interface PortSpec { name: string; number: number; protocol: 'TCP' | 'UDP' }

export interface WorkloadSpec {
  name: string;
  /** Set only by a mutation: `app.kubernetes.io/instance` and `part-of`. */
  instance?: string;
  component?: string;
  /** Set only by a mutation: env vars given again with addEnv. */
  envAgain?: Record<string, string>;
  /** Set only by a mutation: a namespace other than the stack's own. */
  namespace?: string;
  image: string;
  replicas?: number;
  ports: PortSpec[];
  service?: { type: 'ClusterIP' | 'NodePort' | 'LoadBalancer'; ports?: Array<{ port: number; target: number; nodePort?: number }>; headless?: boolean };
  security: { user?: number; group?: number; fsGroup?: number; capabilities?: string[]; unprivilegedPortStart?: number; readOnlyRootFilesystem?: boolean };
  env: Record<string, string>;
  /** A password from a Secret the stack makes (Credentials.fromPassword), or one it names. */
  credentials?: { secretName: string; created: boolean };
  readiness?: { kind: 'http' | 'tcp' | 'command'; port?: number };
  volumes: Array<{ name: string; path: string; claimName?: string }>;
  /** An IngressPolicy admitting the declared connections (or everyone). */
  policy?: 'connections' | 'anywhere';
  autoscale?: { minReplicas?: number; maxReplicas?: number; targetCpuPercent?: number };
  budget?: { maxUnavailable?: number };
  /** How its pods stop and are replaced, in seconds and pods (`N%` for a percentage). */
  stopping?: StoppingSpec;
}

export interface StoppingSpec {
  recreate?: boolean;
  drainPause?: number;
  gracePeriod?: number;
  imageHasSleep?: boolean;
  maxSurge?: number | string;
  maxUnavailable?: number | string;
}

export interface StackSpec {
  /** Pod Security Standard the namespace enforces. */
  enforce: Level;
  /** Set only by a mutation; default `judge-<index>`. */
  namespaceName?: string;
  workloads: WorkloadSpec[];
  /** Client index -> server index. */
  connections: Array<[number, number]>;
  externalNames: Array<{ name: string; externalName: string; ports: number[] }>;
  /** A workload made elsewhere, known by its labels, guarded by a policy admitting workload 0. */
  imported?: { name: string; podSelector: Record<string, string>; port: number; budget: boolean };
}

/** One generated case: a valid stack, and the mutation made to it (none for the valid stack itself). */
export interface JudgeCase {
  stack: StackSpec;
  mutation?: Mutation;
}

/** A mutation, as data: its kind, which workload, and the value typed. */
export interface Mutation { kind: MutationKind; target: number; value: unknown }

const NAMES = ['web', 'api', 'cache', 'queue', 'store'];
const IMAGES = ['nginx:1.27', 'redis:7-alpine', 'hashicorp/http-echo:1.0',
  `registry.example.com/team/app@sha256:${'0123456789abcdef'.repeat(4)}`, 'localhost:5000/tools/probe:2.1'];
/** The capabilities the baseline Pod Security Standard allows to add. */
const BASELINE_CAPS = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const ENV_NAMES = ['LOG_LEVEL', 'my.setting', 'APP-MODE', '_PRIVATE', 'Feature_Flag'];

function workloadArb(level: Level, name: string, nodePorts: number[]): fc.Arbitrary<WorkloadSpec> {
  const ports = fc.uniqueArray(
    fc.record({ name: fc.constantFrom('http', 'metrics', 'grpc', 'dns'), number: fc.integer({ min: 1, max: 9999 }) }),
    { maxLength: 2, selector: (p) => p.name },
  ).filter((ps) => new Set(ps.map((p) => p.number)).size === ps.length)
    .map((ps) => ps.map((p): PortSpec => ({ ...p, protocol: p.name === 'dns' ? 'UDP' : 'TCP' })));
  // Restricted: a non-root user and at most NET_BIND_SERVICE; baseline: its list; privileged: anything real.
  const caps = level === 'restricted' ? fc.subarray(['NET_BIND_SERVICE'])
    : level === 'baseline' ? fc.subarray(BASELINE_CAPS, { maxLength: 2 })
      : fc.subarray([...BASELINE_CAPS, 'NET_ADMIN', 'SYS_TIME', 'NET_RAW'], { maxLength: 2 });
  const user = level === 'restricted' ? fc.integer({ min: 1, max: 65535 }) : fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
  return fc.record({
    image: fc.constantFrom(...IMAGES),
    replicas: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    ports,
    serviceType: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer') as fc.Arbitrary<'ClusterIP' | 'NodePort' | 'LoadBalancer'>,
    explicitPorts: fc.boolean(),
    servicePortNumber: fc.integer({ min: 1, max: 65535 }),
    user,
    group: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
    fsGroup: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    caps,
    unprivilegedPortStart: fc.option(fc.integer({ min: 0, max: 1024 }), { nil: undefined }),
    readOnlyRootFilesystem: fc.option(fc.boolean(), { nil: undefined }),
    env: fc.dictionary(fc.constantFrom(...ENV_NAMES), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
    credentials: fc.boolean(),
    readiness: fc.constantFrom('http', 'tcp', 'command', 'none'),
    tmp: fc.boolean(),
    policy: fc.constantFrom('connections', 'anywhere', undefined),
    stopping: fc.option(fc.record({
      recreate: fc.boolean(),
      drainPause: fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
      extraGrace: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
      imageHasSleep: fc.option(fc.boolean(), { nil: undefined }),
      maxSurge: fc.option(fc.constantFrom<number | string>(1, 2, '50%'), { nil: undefined }),
      maxUnavailable: fc.option(fc.constantFrom<number | string>(0, 1, '10%'), { nil: undefined }),
    }), { nil: undefined }),
  }).map((r): WorkloadSpec => {
    const tcp = r.ports.filter((p) => p.protocol === 'TCP');
    const w: WorkloadSpec = {
      name, image: r.image, replicas: r.replicas, ports: r.ports,
      security: {
        user: r.user, group: r.group, fsGroup: r.fsGroup, capabilities: r.caps.length ? r.caps : undefined,
        unprivilegedPortStart: r.unprivilegedPortStart, readOnlyRootFilesystem: r.readOnlyRootFilesystem,
      },
      env: r.env,
      volumes: r.tmp ? [{ name: 'tmp', path: '/tmp' }] : [],
    };
    if (r.credentials) w.credentials = { secretName: `${name}-credentials`, created: true };
    if (r.ports.length) {
      // A fixed node port only on the first port, one per workload, so none is used twice in a stack.
      w.service = {
        type: r.serviceType,
        ports: r.explicitPorts ? [{ port: r.servicePortNumber, target: 0, nodePort: r.serviceType !== 'ClusterIP' ? nodePorts[0] : undefined }] : undefined,
      };
      w.policy = r.policy;
    }
    if (r.stopping) {
      // Valid: a pause only where there is a sleep, a grace period longer than the pause, rolling parameters only on RollingUpdate.
      const s = r.stopping;
      const drainPause = s.imageHasSleep === false ? undefined : s.drainPause;
      w.stopping = {
        recreate: s.recreate, drainPause, imageHasSleep: s.imageHasSleep,
        gracePeriod: s.extraGrace === undefined ? undefined : (drainPause ?? 5) + s.extraGrace,
        maxSurge: s.recreate ? undefined : s.maxSurge,
        maxUnavailable: s.recreate ? undefined : s.maxUnavailable,
      };
    }
    if (r.readiness === 'command') w.readiness = { kind: 'command' };
    else if (r.readiness !== 'none' && tcp.length) w.readiness = { kind: r.readiness, port: r.ports.indexOf(tcp[0]) };
    return w;
  });
}

/** A valid stack: the API server accepts it and synth reports nothing. */
export const stackArb: fc.Arbitrary<StackSpec> = fc.constantFrom<Level>('privileged', 'baseline', 'restricted').chain((enforce) =>
  fc.integer({ min: 1, max: 3 }).chain((n) => fc.record({
    workloads: fc.tuple(...Array.from({ length: n }, (_, i) => workloadArb(enforce, NAMES[i], [30100 + i]))),
    connections: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 2, selector: ([a, b]) => `${a}-${b}` }),
    externalNames: fc.uniqueArray(fc.record({
      name: fc.constantFrom('ext-db', 'ext-api'),
      externalName: fc.constantFrom('db.example.com', 'api.internal.example.org', 'localhost'),
      ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 2 }),
    }), { maxLength: 1, selector: (e) => e.name }),
    autoscaled: fc.option(fc.nat(n - 1), { nil: undefined }),
    budgeted: fc.option(fc.nat(n - 1), { nil: undefined }),
    imported: fc.option(fc.boolean(), { nil: undefined }),
  }).map((r): StackSpec => {
    const workloads = r.workloads.map((w) => ({ ...w }));
    if (r.autoscaled !== undefined) {
      // An autoscaler owns the count: replicas is left unset (or 1), as the library asks.
      workloads[r.autoscaled] = { ...workloads[r.autoscaled], replicas: undefined, autoscale: {} };
    }
    if (r.budgeted !== undefined && r.budgeted !== r.autoscaled) workloads[r.budgeted] = { ...workloads[r.budgeted], budget: {} };
    // A connection needs a target with ports and another workload as client.
    const connections = r.connections.filter(([a, b]) => a !== b && workloads[b].ports.length > 0);
    return {
      enforce, workloads, connections, externalNames: r.externalNames,
      imported: r.imported === undefined ? undefined : { name: 'legacy', podSelector: { app: 'legacy' }, port: 8080, budget: r.imported },
    };
  })));

/**
 * What a mutation does to the stack. `kubelet`: what it breaks is judged by the kubelet or the
 * kernel, not the API server, so neither verdict counts against synth, unless the server rejects.
 */
interface MutationDef {
  values: fc.Arbitrary<unknown>;
  apply: (s: StackSpec, w: WorkloadSpec, value: never) => void;
  kubelet?: boolean;
  /** What a server dry run does not check (it allocates no node port), so its acceptance proves nothing. */
  dryRunBlind?: boolean;
  /**
   * What the Kubernetes 1.28 API the library targets (imports/, the schema) refuses and the
   * judge's newer server accepts (env var names: any printable ASCII but "=" since 1.32).
   */
  olderApi?: boolean;
}

const MUTATIONS = {
  'uid 0 with runAsNonRoot': { values: fc.constant(0), apply: (_s, w, v: number) => { w.security.user = v; }, kubelet: true },
  'capability misspelled': {
    values: fc.constantFrom('NET_BIND', 'CAP_NET_ADMIN', 'net_bind_service', 'NET-ADMIN'),
    apply: (_s, w, v: string) => { w.security.capabilities = [v]; },
    kubelet: true,
  },
  'capability beyond baseline': { values: fc.constantFrom('NET_ADMIN', 'SYS_ADMIN', 'NET_RAW', 'SYS_PTRACE'), apply: (_s, w, v: string) => { w.security.capabilities = [v]; } },
  'capability beyond restricted': { values: fc.constantFrom('CHOWN', 'SETUID', 'KILL'), apply: (_s, w, v: string) => { w.security.capabilities = [v]; } },
  'sysctl value out of range': { values: fc.constantFrom(70000, -1, 65536), apply: (_s, w, v: number) => { w.security.unprivilegedPortStart = v; }, kubelet: true },
  'sysctl value not an integer': { values: fc.constantFrom(1.5, NaN), apply: (_s, w, v: number) => { w.security.unprivilegedPortStart = v; }, kubelet: true },
  'workload name invalid': {
    values: fc.constantFrom('Web', 'web_api', 'web.api', '1web', 'web-', 'w'.repeat(64), 'a'.repeat(63)),
    apply: (_s, w, v: string) => { w.name = v; },
  },
  'namespace name invalid': { values: fc.constantFrom('Judge', 'judge_x', 'j'.repeat(64)), apply: (s, _w, v: string) => { s.namespaceName = v; } },
  'externalName with trailing dot': { values: fc.constantFrom('mydb.example.com.', 'localhost.'), apply: (s, _w, v: string) => { s.externalNames = [{ name: 'ext-db', externalName: v, ports: [] }]; } },
  'externalName invalid': {
    values: fc.constantFrom('https://db.example.com', 'db_host.example.com', '10.0.0.1', 'DB.example.com', 'db..example.com', `${'a'.repeat(64)}.example.com`),
    apply: (s, _w, v: string) => { s.externalNames = [{ name: 'ext-db', externalName: v, ports: [] }]; },
  },
  'externalName port out of range': { values: fc.constantFrom(0, 65536), apply: (s, _w, v: number) => { s.externalNames = [{ name: 'ext-db', externalName: 'db.example.com', ports: [v] }]; } },
  'namespace not created': { values: fc.constant('gone'), apply: (_s, w, v: string) => { w.namespace = v; } },
  'claim nothing creates': { values: fc.constant('nothing'), apply: (_s, w, v: string) => { w.volumes = [...w.volumes, { name: 'data', path: '/data', claimName: v }]; }, kubelet: true },
  'TCP probe on a UDP port': {
    values: fc.constant('dns'),
    apply: (_s, w) => {
      w.ports = [{ name: 'dns', number: 5353, protocol: 'UDP' }];
      w.service = { type: 'ClusterIP' };
      w.readiness = { kind: 'tcp', port: 0 };
    },
    kubelet: true,
  },
  'container port out of range': { values: fc.constantFrom(0, 65536, 70000), apply: (_s, w, v: number) => { w.ports = [{ name: 'http', number: v, protocol: 'TCP' }]; w.service = undefined; w.readiness = undefined; } },
  'container port name invalid': {
    values: fc.constantFrom('HTTP', 'http_alt', 'http-metrics-port', '8080', 'h--p'),
    apply: (_s, w, v: string) => { w.ports = [{ name: v, number: 8080, protocol: 'TCP' }]; w.service = undefined; w.readiness = undefined; },
  },
  'service port out of range': {
    values: fc.constantFrom(0, 65536),
    apply: (_s, w, v: number) => { w.ports = [{ name: 'http', number: 8080, protocol: 'TCP' }]; w.service = { type: 'ClusterIP', ports: [{ port: v, target: 0 }] }; },
  },
  'node port out of range': {
    values: fc.constantFrom(29999, 32768, 80, 40000),
    apply: (_s, w, v: number) => { w.ports = [{ name: 'http', number: 8080, protocol: 'TCP' }]; w.service = { type: 'NodePort', ports: [{ port: 80, target: 0, nodePort: v }] }; },
    dryRunBlind: true,
  },
  'node port on a ClusterIP Service': {
    values: fc.constant(30500),
    apply: (_s, w, v: number) => { w.ports = [{ name: 'http', number: 8080, protocol: 'TCP' }]; w.service = { type: 'ClusterIP', ports: [{ port: 80, target: 0, nodePort: v }] }; },
  },
  'headless NodePort Service': {
    values: fc.constant(true),
    apply: (_s, w) => { w.ports = [{ name: 'http', number: 8080, protocol: 'TCP' }]; w.service = { type: 'NodePort', headless: true }; },
  },
  'env name invalid': { values: fc.constantFrom('A=B', '', 'ÄPFEL'), apply: (_s, w, v: string) => { w.env = { ...w.env, [v]: 'x' }; } },
  'env name only Kubernetes 1.28 refuses': { values: fc.constantFrom('1ABC', 'MY VAR', '..X', '.'), apply: (_s, w, v: string) => { w.env = { ...w.env, [v]: 'x' }; }, olderApi: true },
  'env name unusual but valid': { values: fc.constantFrom('.config', '-x', 'a.b-c', '_'), apply: (_s, w, v: string) => { w.env = { ...w.env, [v]: 'x' }; } },
  'credential in a literal': { values: fc.constantFrom('SMTP_PASSWORD', 'API_TOKEN'), apply: (_s, w, v: string) => { w.env = { ...w.env, [v]: 'hunter2' }; } },
  'credentials Secret nothing creates': { values: fc.constant('vault-creds'), apply: (_s, w, v: string) => { w.credentials = { secretName: v, created: false }; } },
  'image unpinned': { values: fc.constantFrom('nginx', 'nginx:latest'), apply: (_s, w, v: string) => { w.image = v; } },
  'image with upper case': { values: fc.constantFrom('Nginx:1.27', 'team/MyApp:1.0'), apply: (_s, w, v: string) => { w.image = v; }, kubelet: true },
  'image with a space inside': { values: fc.constantFrom('nginx :1.27', 'my app:1.0'), apply: (_s, w, v: string) => { w.image = v; }, kubelet: true },
  'image with a space around': { values: fc.constantFrom(' nginx:1.27', 'nginx:1.27 '), apply: (_s, w, v: string) => { w.image = v; } },
  'replicas out of range': { values: fc.constantFrom(-1, 1001, 5000, 1.5), apply: (_s, w, v: number) => { w.replicas = v; w.autoscale = undefined; } },
  'enforce restricted, runs as the image user': { values: fc.constant('restricted'), apply: (s, w) => { s.enforce = 'restricted'; w.security = { ...w.security, user: undefined, capabilities: undefined }; } },
  'enforce restricted, adds a capability': { values: fc.constantFrom('CHOWN', 'SETUID'), apply: (s, w, v: string) => { s.enforce = 'restricted'; w.security = { ...w.security, user: 1000, capabilities: [v] }; } },
  'enforce restricted, uid 0': { values: fc.constant(0), apply: (s, w, v: number) => { s.enforce = 'restricted'; w.security = { ...w.security, user: v, capabilities: undefined }; } },
  'enforce baseline, adds NET_ADMIN': { values: fc.constant('NET_ADMIN'), apply: (s, w, v: string) => { s.enforce = 'baseline'; w.security = { ...w.security, capabilities: [v] }; } },
  'writable root filesystem': { values: fc.constant(false), apply: (_s, w, v: boolean) => { w.security.readOnlyRootFilesystem = v; } },
  'group 0': { values: fc.constant(0), apply: (_s, w, v: number) => { w.security.group = v; w.security.fsGroup = v; } },
  'mount path relative': { values: fc.constantFrom('tmp', 'data/x'), apply: (_s, w, v: string) => { w.volumes = [{ name: 'tmp', path: v }]; } },
  'volume name invalid': { values: fc.constantFrom('Tmp', 'tmp_dir'), apply: (_s, w, v: string) => { w.volumes = [{ name: v, path: '/tmp' }]; } },
  'autoscaler minReplicas 1': { values: fc.constant(1), apply: (_s, w, v: number) => { w.replicas = undefined; w.budget = undefined; w.autoscale = { minReplicas: v }; } },
  'autoscaler CPU target above 100%': { values: fc.constantFrom(150, 0), apply: (_s, w, v: number) => { w.replicas = undefined; w.budget = undefined; w.autoscale = { targetCpuPercent: v }; } },
  'autoscaler max below min': { values: fc.constant(1), apply: (_s, w, v: number) => { w.replicas = undefined; w.budget = undefined; w.autoscale = { minReplicas: 3, maxReplicas: v }; } },
  'budget maxUnavailable 0': { values: fc.constantFrom(0, -1), apply: (_s, w, v: number) => { w.autoscale = undefined; w.budget = { maxUnavailable: v }; } },
  'label value invalid': {
    values: fc.constantFrom('My App', 'x'.repeat(64), '-edge', 'a/b'),
    apply: (_s, w, v: string) => { w.instance = v; },
  },
  'label value unusual but valid': { values: fc.constantFrom('A_b.C-9', 'x'.repeat(63), '9'), apply: (_s, w, v: string) => { w.component = v; } },
  'env set twice': { values: fc.constantFrom('LOG_LEVEL', 'MODE'), apply: (_s, w, v: string) => { w.env = { ...w.env, [v]: 'info' }; w.envAgain = { [v]: 'debug' }; } },
  'imported workload selector invalid': {
    values: fc.constantFrom({ 'Bad Key': 'x' }, { app: 'has space' }, { 'app/': 'x' }),
    apply: (s, _w, v: Record<string, string>) => { s.imported = { name: 'legacy', podSelector: v, port: 8080, budget: true }; },
  },
  'grace period not longer than the drain pause': {
    values: fc.constantFrom([10, 10], [10, 5], [5, 3]),
    apply: (_s, w, [drainPause, gracePeriod]: number[]) => { w.stopping = { drainPause, gracePeriod }; },
  },
  'drain pause on an image without sleep': { values: fc.constantFrom(5, 20), apply: (_s, w, v: number) => { w.stopping = { imageHasSleep: false, drainPause: v }; } },
  'drain pause a fraction of a second': { values: fc.constantFrom(2.5, 0.5), apply: (_s, w, v: number) => { w.stopping = { drainPause: v }; } },
  'rolling update that replaces nothing': { values: fc.constantFrom(0, '0%'), apply: (_s, w, v: number | string) => { w.stopping = { maxSurge: v, maxUnavailable: 0 }; } },
  'rolling update out of range': {
    values: fc.constantFrom<StoppingSpec>({ maxSurge: -1 }, { maxUnavailable: -2 }, { maxUnavailable: '150%' }, { maxSurge: '12.5%' }),
    apply: (_s, w, v: StoppingSpec) => { w.stopping = v; },
  },
  'rolling update on Recreate': { values: fc.constantFrom(1, '25%'), apply: (_s, w, v: number | string) => { w.stopping = { recreate: true, maxSurge: v }; } },
  'imported workload name invalid': { values: fc.constantFrom('Legacy', 'legacy_app'), apply: (s, _w, v: string) => { s.imported = { name: v, podSelector: { app: 'legacy' }, port: 8080, budget: true }; } },
} satisfies Record<string, MutationDef>;

export type MutationKind = keyof typeof MUTATIONS;
export const MUTATION_KINDS = Object.keys(MUTATIONS) as MutationKind[];

/** Whether what the mutation breaks is for the kubelet or the kernel to judge, not the API server. */
export function kubeletJudged(m: Mutation | undefined): boolean {
  return m !== undefined && (MUTATIONS[m.kind] as MutationDef).kubelet === true;
}

/** Whether only the Kubernetes 1.28 API the library targets refuses the mutation, and the judge's newer server not. */
export function olderApiJudged(m: Mutation | undefined): boolean {
  return m !== undefined && (MUTATIONS[m.kind] as MutationDef).olderApi === true;
}

/** Whether a server dry run cannot judge the mutation: it accepts what a real create rejects. */
export function dryRunBlind(m: Mutation | undefined): boolean {
  return m !== undefined && (MUTATIONS[m.kind] as MutationDef).dryRunBlind === true;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.constantFrom(...MUTATION_KINDS).chain((kind) =>
  fc.record({ kind: fc.constant(kind), target: fc.nat(2), value: (MUTATIONS[kind] as MutationDef).values }));

/** A valid stack, or (three times in four) a mutation of one. */
export const caseArb: fc.Arbitrary<JudgeCase> = fc.record({
  stack: stackArb,
  mutation: fc.option(mutationArb, { nil: undefined, freq: 4 }),
}).map((c) => (c.mutation ? { stack: mutate(c.stack, c.mutation), mutation: c.mutation } : { stack: c.stack }));

function mutate(stack: StackSpec, m: Mutation): StackSpec {
  const s = structuredClone(stack);
  const w = s.workloads[m.target % s.workloads.length];
  (MUTATIONS[m.kind] as MutationDef).apply(s, w, m.value as never);
  // A connection to a workload left without ports is not what the mutation is about.
  s.connections = s.connections.filter(([, b]) => s.workloads[b].ports.length > 0);
  return s;
}

/** A count of pods, or `N%`, as the library takes it. */
function podCount(v: number | string | undefined): PercentOrAbsolute | undefined {
  return v === undefined ? undefined : typeof v === 'number' ? PercentOrAbsolute.absolute(v) : PercentOrAbsolute.percent(Number(v.slice(0, -1)));
}

/** The stack as the App a user would write; `namespace` is the name the stack's namespace gets by default. */
export function buildStack(spec: StackSpec, namespace: string): App {
  const app = new App({ outdir: '/nonexistent' });
  const chart = new Chart(app, 'stack');
  const ns = new AppNamespace(chart, 'Namespace', { name: spec.namespaceName ?? namespace, enforce: spec.enforce as PodSecurityLevel });
  const built: Microservice[] = [];
  for (const w of spec.workloads) {
    const ports = w.ports.map((p) => (p.protocol === 'UDP' ? ContainerPort.udp(p.name, p.number) : ContainerPort.tcp(p.name, p.number)));
    const volumes: VolumeMount[] = w.volumes.map((v) => ({ path: v.path, volume: v.claimName ? Volume.persistentVolumeClaim(v.name, v.claimName) : Volume.emptyDir(v.name) }));
    const probePort = w.readiness?.port !== undefined ? ports[w.readiness.port] : undefined;
    const readiness = w.readiness?.kind === 'command' ? HealthCheck.command(['true'], { period: Duration.seconds(5) })
      : w.readiness?.kind === 'http' && probePort ? HealthCheck.httpGet('/healthz', probePort)
        : w.readiness?.kind === 'tcp' && probePort ? HealthCheck.tcpSocket(probePort) : undefined;
    const namespace = w.namespace !== undefined ? `${ns.name}-${w.namespace}` : ns.name;
    const env: Record<string, EnvValue> = Object.fromEntries(Object.entries(w.env).map(([k, v]) => [k, EnvValue.fromValue(v)]));
    const m = new Microservice(chart, w.name, {
      name: w.name,
      instance: w.instance,
      component: w.component,
      namespace,
      image: w.image,
      replicas: w.replicas,
      ports,
      service: w.service === undefined ? (ports.length ? undefined : false) : {
        type: w.service.type === 'NodePort' ? ServiceType.NODE_PORT : w.service.type === 'LoadBalancer' ? ServiceType.LOAD_BALANCER : ServiceType.CLUSTER_IP,
        ports: w.service.ports?.map((p) => ({ port: p.port, target: ports[p.target], nodePort: p.nodePort })),
        headless: w.service.headless,
      },
      env,
      readiness,
      volumes,
      security: w.security,
      strategy: w.stopping?.recreate ? DeploymentStrategy.RECREATE : undefined,
      shutdown: w.stopping && (w.stopping.drainPause !== undefined || w.stopping.gracePeriod !== undefined || w.stopping.imageHasSleep !== undefined) ? {
        drainPause: w.stopping.drainPause === undefined ? undefined : Duration.millis(w.stopping.drainPause * 1000),
        gracePeriod: w.stopping.gracePeriod === undefined ? undefined : Duration.seconds(w.stopping.gracePeriod),
        imageHasSleep: w.stopping.imageHasSleep,
      } : undefined,
      rollingUpdate: w.stopping && (w.stopping.maxSurge !== undefined || w.stopping.maxUnavailable !== undefined)
        ? { maxSurge: podCount(w.stopping.maxSurge), maxUnavailable: podCount(w.stopping.maxUnavailable) } : undefined,
    });
    if (w.credentials) {
      const creds = w.credentials.created ? Credentials.fromPassword({ password: 'generated-in-test', secretName: w.credentials.secretName })
        : Credentials.fromSecretName(w.credentials.secretName);
      const bound = creds.bind(m, { namespace, labels: m.labels });
      m.addEnv('DB_PASSWORD', bound.secret.envValue(bound.passwordKey));
    }
    for (const [k, v] of Object.entries(w.envAgain ?? {})) m.addEnv(k, EnvValue.fromValue(v));
    built.push(m);
  }
  for (const [client, server] of spec.connections) built[client].connectTo(built[server]);
  spec.workloads.forEach((w, i) => {
    const m = built[i];
    if (w.policy) new IngressPolicy(chart, `${w.name}-policy`, { target: m, fromAnywhere: w.policy === 'anywhere' ? true : undefined });
    if (w.autoscale) new Autoscaling(chart, `${w.name}-autoscaling`, { target: m, ...w.autoscale });
    if (w.budget) new DisruptionBudget(chart, `${w.name}-budget`, { target: m, ...w.budget });
  });
  for (const e of spec.externalNames) new ExternalNameService(chart, e.name, { name: e.name, externalName: e.externalName, namespace: ns.name, ports: e.ports });
  if (spec.imported) {
    const legacy: IWorkload = Workload.fromAttributes(chart, 'legacy', {
      // Its pods are another team's: nothing in the stack makes them.
      name: spec.imported.name, namespace: ns.name, podSelector: spec.imported.podSelector, ports: [ContainerPort.tcp('http', spec.imported.port)], external: true,
    });
    new IngressPolicy(chart, 'legacy-policy', { target: legacy, clients: [built[0]] });
    if (spec.imported.budget) new DisruptionBudget(chart, 'legacy-budget', { target: legacy });
  }
  return app;
}
