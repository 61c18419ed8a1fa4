// Upgrades without orphans (docs/upgrades.md), on a real control plane with one kwok node:
// a newer dist/ applied over an older one, the documented way (the keep file, then kubectl's
// ApplySet with --prune), removes what the newer one no longer has and touches nothing else:
// not the objects of others in the same namespace, not a Namespace, not a claim.
// Run with `npx jest --config jest.e2e.config.js upgrade` after `bash tools/control-plane/build.sh`.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { credentialsFromEnv } from '../../app/settings';
import { KubePersistentVolumeClaim, Quantity } from '../../imports/k8s';
import { WebappExample } from '../../examples';
import { AppNamespace, Autoscaling, ContainerPort, IngressPolicy, Microservice, Profile, Synthesizer, VotingAppChart } from '../../lib';
import { synthesize } from '../../lib/synth/synthesizer';
import { APPLYSET_RESOURCE, parentObject } from '../../lib/synth/applyset';
import { Cluster, startCluster } from '../../tools/control-plane/cluster';
import { CheckFailure, KubeObject, Kubectl, checkApplyOutput, describeRef, diagnosingStep, kubectlRef, manifestFiles, readManifests } from './support/kube';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const PART_OF = 'applyset.kubernetes.io/part-of';
/** What docs/upgrades.md tells users to list, and delete, once after their first upgrade. */
const ADOPTION_KINDS = 'deployments,services,secrets,configmaps,networkpolicies,poddisruptionbudgets,horizontalpodautoscalers';
/** Every kind the stacks and the objects of others have. */
const KINDS = `namespaces,persistentvolumeclaims,${ADOPTION_KINDS}`;
const ADOPTION_SELECTOR = `app.kubernetes.io/managed-by=cdk8s,!${PART_OF}`;

let cluster: Cluster | undefined;
let k: Kubectl;
let work: string;

/** The documented upgrade of one stack file: its keep file without pruning, then the file itself with ApplySet pruning. */
function upgrade(file: string, namespace: string): { keep: string; stack: string } {
  const keepFile = file.replace(/\.k8s\.yaml$/, '-keep.k8s.yaml');
  const keep = fs.existsSync(keepFile) ? k.ok(['apply', '-f', keepFile]).stdout : '';
  const stack = applySet(['apply', '-n', namespace, '--prune', '--applyset=voting-app', '-f', file]).stdout;
  process.stderr.write(`$ documented upgrade of ${path.relative(ROOT, file)}\n${keep}${stack}`);
  return { keep, stack };
}

/** kubectl with KUBECTL_APPLYSET=true, as docs/upgrades.md runs it. */
function applySet(args: string[], mustSucceed = true): { code: number | null; stdout: string; stderr: string } {
  process.env.KUBECTL_APPLYSET = 'true';
  try {
    return mustSucceed ? k.ok(args) : k.run(args);
  } finally {
    delete process.env.KUBECTL_APPLYSET;
  }
}

/**
 * The documented upgrade of a stack that spans namespaces (docs/upgrades.md, the fleet): the keep
 * file, the parent created once, then ApplySet with the cluster-scoped parent `name`.
 */
function upgradeAcrossNamespaces(keepFile: string, stackFile: string, parentDir: string, name: string): { keep: string; stack: string; stderr: string } {
  const keep = k.ok(['apply', '-f', keepFile]).stdout;
  k.ok(['wait', '--for=condition=Established', `crd/${APPLYSET_RESOURCE}`, '--timeout=60s']);
  if (k.run(['get', '-f', parentDir, '-o', 'name']).code !== 0) k.ok(['apply', '--server-side', '--field-manager=kubectl-applyset', '-f', parentDir]);
  const r = applySet(['apply', '--prune', `--applyset=${APPLYSET_RESOURCE}/${name}`, '-f', stackFile]);
  process.stderr.write(`$ documented upgrade across namespaces from ${path.relative(ROOT, stackFile)}\n${keep}${r.stdout}${r.stderr}`);
  return { keep, stack: r.stdout, stderr: r.stderr };
}

/** A copy of `o` with every occurrence of `from` in its text replaced by `to` (a tenant moved to another namespace). */
function replaced<T>(o: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(o).split(from).join(to)) as T;
}

/** A Deployment only an older stack had, with the labels the library gives its objects. */
function extraDeployment(namespace: string): KubeObject {
  const labels = { 'app.kubernetes.io/managed-by': 'cdk8s', 'app.kubernetes.io/name': 'extra' };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'extra', namespace, labels },
    spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'extra' } }, template: { metadata: { labels }, spec: { containers: [{ name: 'extra', image: 'hashicorp/http-echo:1.0' }] } } },
  } as KubeObject;
}

/** The extra objects of an older stack: a Deployment, its Service, NetworkPolicy, HorizontalPodAutoscaler and PodDisruptionBudget. */
function addExtras(chart: Chart, namespace: string): void {
  const http = ContainerPort.tcp('http', 5678);
  const extra = new Microservice(chart, 'Extra', {
    name: 'extra', namespace, image: 'hashicorp/http-echo:1.0', args: ['-listen=:5678', '-text=old'], ports: [http],
    service: { name: 'extra-svc', ports: [{ port: 80, target: http }] },
  });
  new IngressPolicy(chart, 'ExtraIngress', { target: extra, fromAnywhere: true });
  new Autoscaling(chart, 'ExtraScaling', { target: extra, minReplicas: 2, maxReplicas: 3 });
}

/** A Namespace and a claim that only the older stack has: an upgrade must keep both. */
function addKeptExtras(chart: Chart, namespace: string): void {
  new AppNamespace(chart, 'OldNamespace', { name: `${namespace}-old` });
  new KubePersistentVolumeClaim(chart, 'OldClaim', {
    metadata: { name: 'old-claim', namespace },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: Quantity.fromString('1Gi') } } },
  });
}

/** Writes an App to a folder of `work`, the way `npm run synth` does (keep files) or the way it did before them. */
function write(name: string, app: App, keepFiles: boolean): string {
  const outdir = path.join(work, name);
  synthesize(app, { outdir, keepFiles });
  return outdir;
}

/** Whether an object exists (also while it is being deleted). */
function exists(kind: string, name: string, namespace?: string): boolean {
  const r = k.run(['get', kind, name, ...(namespace ? ['-n', namespace] : []), '-o', 'name']);
  if (r.code !== 0 && !/NotFound|not found/.test(r.stderr)) throw new CheckFailure(`${r.command}: ${r.stderr}`);
  return r.code === 0;
}

/**
 * uid and version of many objects, from one list of every kind this suite makes. Controllers
 * write some objects all along, which is not an upgrade touching them: a Deployment's status
 * (and its autoscaler its replicas), an autoscaler's status. So a Deployment is compared by its
 * spec without replicas, an autoscaler by its spec, an object with a generation by it, any
 * other by its resourceVersion (the apply output's `unchanged` says the rest).
 */
function identities(objects: KubeObject[]): Record<string, string | undefined> {
  type Live = KubeObject & { metadata: { uid: string; resourceVersion: string; generation?: number; deletionTimestamp?: string }; spec?: Record<string, unknown> };
  const live = k.json<{ items: Live[] }>(['get', KINDS, '-A']).items;
  const byRef = new Map(live.map((o) => [describeRef(o), o]));
  return Object.fromEntries(objects.map((o) => {
    const l = byRef.get(describeRef(o));
    if (!l) return [describeRef(o), undefined];
    const m = l.metadata;
    const version = l.kind === 'Deployment' || l.kind === 'HorizontalPodAutoscaler'
      ? `spec ${crypto.createHash('sha256').update(JSON.stringify({ ...l.spec, replicas: undefined })).digest('hex').slice(0, 12)}`
      : m.generation !== undefined ? `generation ${m.generation}` : `resourceVersion ${m.resourceVersion}`;
    return [describeRef(o), `${m.uid} ${version}${m.deletionTimestamp ? ` deleting since ${m.deletionTimestamp}` : ''}`];
  }));
}

/** Objects of others: applied with plain kubectl apply, some with our own labels, which ApplySet does not go by. */
function applyForeign(namespace: string): KubeObject[] {
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'someone-elses', namespace, labels: { 'app.kubernetes.io/part-of': 'voting-app' } } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'someone-elses', namespace } },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'someone-elses', namespace },
      spec: { podSelector: { matchLabels: { app: 'theirs' } } },
    } as KubeObject,
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${namespace}-theirs` } },
    {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'theirs', namespace: `${namespace}-theirs` },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    } as KubeObject,
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'theirs', namespace: `${namespace}-theirs`, labels: { 'app.kubernetes.io/part-of': 'voting-app' } },
      spec: { selector: { app: 'theirs' }, ports: [{ port: 80 }] },
    } as KubeObject,
  ];
  const file = path.join(work, `foreign-${namespace}.json`);
  fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  k.ok(['apply', '-f', file]);
  return objects;
}

async function waitGone(objects: KubeObject[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const left = objects.filter((o) => exists(o.kind, o.metadata.name, o.metadata.namespace));
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new CheckFailure(`still there: ${left.map(describeRef).join(', ')}`, left.map(describeRef));
    await new Promise((r) => setTimeout(r, 500));
  }
}

const isKept = (o: KubeObject) => o.kind === 'Namespace' || o.kind === 'PersistentVolumeClaim';
const refs = (objects: KubeObject[]) => objects.map(describeRef).sort();

/** Runs a step; on failure prints which object and condition failed, with describe and logs. */
const step = diagnosingStep(() => ({ k, logTails: cluster && ((n: number) => cluster!.logTails(n)) }));

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-upgrade-'));
  cluster = await startCluster({ nodes: 1, log: (line) => process.stderr.write(`[cluster] ${line}\n`) });
  k = new Kubectl(cluster.kubeconfig);
}, 300_000);

afterAll(async () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  if (!cluster) return;
  await cluster.stop();
  expect(fs.existsSync(cluster.dir)).toBe(false);
}, 120_000);

describe('upgrading a stack the documented way (keep file, then ApplySet --prune)', () => {
  const ns = 'voting-app';
  const today = path.join(DIST, 'voting-app.k8s.yaml');
  const todays = readManifests([today, path.join(DIST, 'voting-app-keep.k8s.yaml')]);
  let older: KubeObject[] = [];
  let extras: KubeObject[] = [];
  let keptExtras: KubeObject[] = [];
  let foreign: KubeObject[] = [];
  let before: Record<string, string | undefined> = {};

  test('GIVEN an older stack (today\'s plus a Deployment, Service, NetworkPolicy, HPA, PDB, Namespace and claim) applied the documented way', () => step('older stack', () => {
    const app = new App();
    const chart = new VotingAppChart(app, 'voting-app', { credentials: credentialsFromEnv({}).credentials });
    addExtras(chart, ns);
    addKeptExtras(chart, ns);
    const dir = write('older', app, true);
    older = readManifests(manifestFiles(dir));
    // The older stack is today's dist/ and the extras, object for object.
    const extraRefs = new Set(['deployment/extra', 'service/extra-svc', 'networkpolicy/extra-ingress', 'horizontalpodautoscaler/extra', 'poddisruptionbudget/extra',
      `namespace/${ns}-old`, 'persistentvolumeclaim/old-claim'].map((r) => r.includes('namespace/') ? r : `${r} -n ${ns}`));
    extras = older.filter((o) => extraRefs.has(describeRef(o)) && !isKept(o));
    keptExtras = older.filter((o) => extraRefs.has(describeRef(o)) && isKept(o));
    expect(refs([...extras, ...keptExtras])).toEqual([...extraRefs].sort());
    const byRef = (a: KubeObject, b: KubeObject) => describeRef(a).localeCompare(describeRef(b));
    expect(older.filter((o) => !extraRefs.has(describeRef(o))).sort(byRef)).toEqual([...todays].sort(byRef));
    const r = upgrade(path.join(dir, 'voting-app.k8s.yaml'), ns);
    expect(checkApplyOutput(r.keep, older.filter(isKept), 'created')).toEqual([]);
    expect(checkApplyOutput(r.stack, older.filter((o) => !isKept(o)), 'created')).toEqual([]);
    // Every object of the stack file is a member of the ApplySet, and no Namespace or claim is.
    const id = k.ok(['get', 'secret', 'voting-app', '-n', ns, '-o', 'jsonpath={.metadata.labels.applyset\\.kubernetes\\.io/id}']).stdout;
    expect(id).toMatch(/^applyset-.+-v1$/);
    for (const o of older) {
      const label = k.ok(['get', o.kind, o.metadata.name, ...(o.metadata.namespace ? ['-n', o.metadata.namespace] : []),
        '-o', 'jsonpath={.metadata.labels.applyset\\.kubernetes\\.io/part-of}']).stdout;
      expect({ ref: describeRef(o), label }).toEqual({ ref: describeRef(o), label: isKept(o) ? 'never-pruned' : id });
    }
  }));

  test('AND objects of others beside it, with our labels or without', () => step('foreign objects', () => {
    foreign = applyForeign(ns);
    before = identities([...todays, ...keptExtras, ...foreign]);
    for (const [ref, id] of Object.entries(before)) expect({ ref, id }).toEqual({ ref, id: expect.stringMatching(/^\S+ (generation \d+|resourceVersion \d+|spec [0-9a-f]{12})$/) });
  }));

  test('WHEN today\'s dist/ is applied the documented way THEN exactly the extras are pruned, and nothing else changes', () => step('upgrade', async () => {
    const r = upgrade(today, ns);
    // The keep file: the Namespace is unchanged; the stack: every object unchanged, each extra pruned.
    expect(checkApplyOutput(r.keep, todays.filter(isKept), 'unchanged')).toEqual([]);
    expect(checkApplyOutput(r.stack, [...todays.filter((o) => !isKept(o)), ...extras],
      (o) => (extras.includes(o) ? 'pruned' : 'unchanged'))).toEqual([]);
    await waitGone(extras);
    // Today's objects, the Namespace and claim only the older stack had, and the objects of others:
    // the same uid and resourceVersion.
    expect(identities([...todays, ...keptExtras, ...foreign])).toEqual(before);
  }));

  test('AND the same upgrade again changes nothing', () => step('again', () => {
    const r = upgrade(today, ns);
    expect(checkApplyOutput(r.keep, todays.filter(isKept), 'unchanged')).toEqual([]);
    expect(checkApplyOutput(r.stack, todays.filter((o) => !isKept(o)), 'unchanged')).toEqual([]);
    expect(identities([...todays, ...keptExtras, ...foreign])).toEqual(before);
  }));

  test('AND kubectl refuses an ApplySet apply that includes a keep file, before it changes anything', () => step('guard', () => {
    const r = applySet(['apply', '-n', ns, '--prune', '--applyset=voting-app', '-f', path.join(DIST, 'voting-app-keep.k8s.yaml'), '-f', today], false);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`ApplySet label "${PART_OF}" already set in input data`);
    expect(identities([...todays, ...keptExtras, ...foreign])).toEqual(before);
  }));
  test('AND a plain kubectl apply takes the ApplySet label off (it drops what the last apply set), and the documented upgrade puts it back', () => step('plain apply', () => {
    const stackObjects = todays.filter((o) => !isKept(o));
    const plain = k.ok(['apply', '-f', DIST]);
    expect(checkApplyOutput(plain.stdout, [...todays.filter(isKept), ...stackObjects], (o) => (isKept(o) ? 'unchanged' : 'configured'))).toEqual([]);
    const labelled = () => k.ok(['get', ADOPTION_KINDS, '-n', ns, '-l', PART_OF, '-o', 'name']).stdout.split('\n').filter(Boolean);
    expect(labelled()).toEqual([]);
    const r = upgrade(today, ns);
    expect(checkApplyOutput(r.stack, stackObjects, 'configured')).toEqual([]);
    expect(labelled().sort()).toEqual(stackObjects.map(kubectlRef).sort());
  }));
});

describe('a Namespace made part of an ApplySet by mistake (the ApplySet command run over an old one-file stack)', () => {
  const ns = 'example-webapp';
  test('GIVEN the old webapp file, Namespace inside, applied with ApplySet pruning', () => step('mistake', () => {
    const app = new App();
    Synthesizer.outputFile(new WebappExample(app, 'webapp'), 'webapp.k8s.yaml');
    const dir = write('older-webapp', app, false);
    k.ok(['create', 'namespace', ns]); // the ApplySet's parent Secret needs its namespace first
    applySet(['apply', '-n', ns, '--prune', '--applyset=voting-app', '-f', path.join(dir, 'webapp.k8s.yaml')]);
    expect(k.ok(['get', 'namespace', ns, '-o', 'jsonpath={.metadata.labels.applyset\\.kubernetes\\.io/part-of}']).stdout).toMatch(/^applyset-/);
  }));

  test('WHEN today\'s files are applied the documented way THEN the keep file takes the Namespace out of the ApplySet and it is not pruned', () => step('repair', () => {
    const uid = k.ok(['get', 'namespace', ns, '-o', 'jsonpath={.metadata.uid}']).stdout;
    const r = upgrade(path.join(DIST, 'examples', 'webapp.k8s.yaml'), ns);
    expect(r.stack).not.toMatch(/pruned/);
    const live = k.json<KubeObject & { metadata: { uid: string; deletionTimestamp?: string } }>(['get', 'namespace', ns]);
    expect(live.metadata).toEqual(expect.objectContaining({ uid, labels: expect.objectContaining({ [PART_OF]: 'never-pruned' }) }));
    expect(live.metadata.deletionTimestamp).toBeUndefined();
  }));
});

describe('the first upgrade of a stack applied the old way (plain kubectl apply, one file with its Namespace)', () => {
  const ns = 'voting-app-production';
  const today = path.join(DIST, 'production', 'voting-app.k8s.yaml');
  const todays = readManifests([today, path.join(DIST, 'production', 'voting-app-keep.k8s.yaml')]);
  let extras: KubeObject[] = [];
  let keptExtras: KubeObject[] = [];
  let foreign: KubeObject[] = [];
  let userSecret: KubeObject;
  let before: Record<string, string | undefined> = {};

  test('GIVEN the older production stack (plus extras) applied with plain kubectl apply, as the README said', () => step('old way', () => {
    // The README's steps: the Namespace and the Secret first, then the folder.
    k.ok(['create', 'namespace', ns]);
    k.ok(['-n', ns, 'create', 'secret', 'generic', 'voting-app-db', '--from-literal=username=postgres', '--from-literal=password=postgres']);
    userSecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'voting-app-db', namespace: ns } };
    const app = new App();
    const chart = new VotingAppChart(app, 'production', { profile: Profile.PRODUCTION });
    Synthesizer.outputFile(chart, 'voting-app.k8s.yaml');
    addExtras(chart, ns);
    addKeptExtras(chart, ns);
    const dir = write('older-production', app, false);
    expect(fs.readdirSync(dir)).toEqual(['voting-app.k8s.yaml']); // one file, Namespace and claims inside
    const older = readManifests(manifestFiles(dir));
    const todayRefs = new Set(refs(todays));
    extras = older.filter((o) => !todayRefs.has(describeRef(o)) && !isKept(o));
    keptExtras = older.filter((o) => !todayRefs.has(describeRef(o)) && isKept(o));
    expect(refs(extras).length).toBe(5);
    expect(refs(keptExtras)).toEqual([`namespace/${ns}-old`, `persistentvolumeclaim/old-claim -n ${ns}`]);
    k.ok(['apply', '-f', dir]);
    foreign = applyForeign(ns);
    before = identities([...keptExtras, ...foreign, userSecret, ...todays.filter(isKept)]);
  }));

  test('WHEN today\'s dist/production/ is applied the documented way THEN it adopts today\'s objects, and keeps every other', () => step('adopt', () => {
    const r = upgrade(today, ns);
    // The Namespace and claim are labelled never-pruned; every other object of today's is configured (it joins the ApplySet).
    expect(checkApplyOutput(r.keep, todays.filter(isKept), 'configured')).toEqual([]);
    expect(checkApplyOutput(r.stack, todays.filter((o) => !isKept(o)), 'configured')).toEqual([]);
    // Nothing was pruned: the extras were never members of the ApplySet.
    for (const o of extras) expect({ ref: describeRef(o), there: exists(o.kind, o.metadata.name, ns) }).toEqual({ ref: describeRef(o), there: true });
    const now = identities([...keptExtras, ...foreign, userSecret, ...todays.filter(isKept)]);
    for (const ref of Object.keys(before)) {
      const [uid] = before[ref]!.split(' ');
      // Same object; only today's Namespace and claim were written (their label).
      expect({ ref, uid: now[ref]!.split(' ')[0] }).toEqual({ ref, uid });
      if (!todays.some((o) => describeRef(o) === ref)) expect({ ref, id: now[ref] }).toEqual({ ref, id: before[ref] });
    }
    before = identities([...todays, ...keptExtras, ...foreign, userSecret]);
  }));

  test('AND the one-time adoption step lists exactly the extras, and deleting them touches nothing else', () => step('one-time cleanup', async () => {
    const listed = k.ok(['get', ADOPTION_KINDS, '-n', ns, '-l', ADOPTION_SELECTOR, '-o', 'name']).stdout.split('\n').filter(Boolean).sort();
    expect(listed).toEqual(extras.map(kubectlRef).sort());
    k.ok(['delete', ADOPTION_KINDS, '-n', ns, '-l', ADOPTION_SELECTOR]);
    await waitGone(extras);
    expect(identities([...todays, ...keptExtras, ...foreign, userSecret])).toEqual(before);
  }));

  test('AND from then on an upgrade prunes: a later stack without its HPAs and PDBs loses them, and keeps the Namespace and claim it no longer has', () => step('later', async () => {
    // A later stack made by the test: today's production stack file without its autoscalers and
    // budgets, and no keep file (so no Namespace and no claim either).
    const gone = todays.filter((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'PodDisruptionBudget');
    expect(gone.length).toBeGreaterThan(0);
    const later = todays.filter((o) => !isKept(o) && !gone.includes(o));
    const file = path.join(work, 'later-production.json');
    fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: later }));
    const r = applySet(['apply', '-n', ns, '--prune', '--applyset=voting-app', '-f', file]);
    process.stderr.write(r.stdout);
    expect(checkApplyOutput(r.stdout, [...later, ...gone], (o) => (gone.includes(o) ? 'pruned' : 'unchanged'))).toEqual([]);
    await waitGone(gone);
    const kept = [...later, ...todays.filter(isKept), ...keptExtras, ...foreign, userSecret];
    const now = identities(kept);
    for (const o of kept) expect({ ref: describeRef(o), id: now[describeRef(o)] }).toEqual({ ref: describeRef(o), id: before[describeRef(o)] });
  }));
});

describe('upgrading the fleet, whose objects span namespaces: a cluster-scoped ApplySet parent', () => {
  const dir = path.join(DIST, 'fleet');
  const today = path.join(dir, 'fleet.k8s.yaml');
  const todaysKeep = path.join(dir, 'fleet-keep.k8s.yaml');
  const parentDir = path.join(dir, 'applyset');
  const todays = readManifests([today]);
  const todaysKept = readManifests([todaysKeep]);
  const namespaces = todaysKept.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
  const last = namespaces[namespaces.length - 1];
  const dropped = `${last.replace(/\d+$/, '')}${String(Number(/\d+$/.exec(last)![0]) + 1).padStart(3, '0')}`;
  /** A tenant the older fleet had and today's has not: the last tenant's objects in a namespace of its own, without node ports. */
  const droppedTenant = todays
    .filter((o) => o.metadata.namespace === last && !(o.kind === 'Service' && (o as { spec?: { type?: string } }).spec?.type === 'NodePort'))
    .map((o) => replaced(o, last, dropped));
  const droppedNamespace = replaced(todaysKept.find((o) => o.kind === 'Namespace' && o.metadata.name === last)!, last, dropped);
  const gone = [...droppedTenant, extraDeployment(namespaces[0])];
  let foreign: KubeObject[] = [];
  let before: Record<string, string | undefined> = {};

  const parentId = () => k.ok(['get', APPLYSET_RESOURCE, 'fleet', '-o', 'jsonpath={.metadata.labels.applyset\\.kubernetes\\.io/id}']).stdout;

  test('GIVEN an older fleet (today\'s, a Deployment more in the first tenant, and one tenant more) applied the documented way', () => step('older fleet', () => {
    expect(namespaces.length).toBeGreaterThan(1);
    expect(droppedTenant.map((o) => o.kind).sort()).toEqual(expect.arrayContaining(['Deployment', 'NetworkPolicy', 'Secret', 'Service']));
    const keepFile = path.join(work, 'older-fleet-keep.json');
    const stackFile = path.join(work, 'older-fleet.json');
    fs.writeFileSync(keepFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...todaysKept, droppedNamespace] }));
    fs.writeFileSync(stackFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...todays, ...gone] }));
    const r = upgradeAcrossNamespaces(keepFile, stackFile, parentDir, 'fleet');
    expect(r.stderr).not.toMatch(/failed to update ApplySet|conflict/);
    // Every object of the stack, in every namespace, is a member of the parent's set; no Namespace is.
    const id = parentId();
    expect(id).toMatch(/^applyset-.+-v1$/);
    for (const o of [...todays, ...gone]) {
      const label = k.ok(['get', o.kind, o.metadata.name, '-n', o.metadata.namespace!, '-o', 'jsonpath={.metadata.labels.applyset\\.kubernetes\\.io/part-of}']).stdout;
      expect({ ref: describeRef(o), label }).toEqual({ ref: describeRef(o), label: id });
    }
    for (const ns of [...namespaces, dropped]) {
      expect({ ns, label: k.ok(['get', 'namespace', ns, '-o', 'jsonpath={.metadata.labels.applyset\\.kubernetes\\.io/part-of}']).stdout }).toEqual({ ns, label: 'never-pruned' });
    }
    foreign = applyForeign(namespaces[0]);
    before = identities([...todays, ...todaysKept.filter(isKept), droppedNamespace, ...foreign]);
  }));

  test('WHEN today\'s dist/fleet/ is applied the documented way THEN the dropped tenant\'s objects and the extra Deployment are pruned, its Namespace and everything else stay as they were', () => step('fleet upgrade', async () => {
    const r = upgradeAcrossNamespaces(todaysKeep, today, parentDir, 'fleet');
    expect(r.stderr).not.toMatch(/failed to update ApplySet|conflict/);
    // kubectl names no namespace in its output: one "pruned" line per object gone.
    expect(r.stack.split('\n').filter((l) => / pruned$/.test(l)).sort()).toEqual(gone.map((o) => `${kubectlRef(o)} pruned`).sort());
    await waitGone(gone);
    expect(identities([...todays, ...todaysKept.filter(isKept), droppedNamespace, ...foreign])).toEqual(before);
    // The parent now lists today's namespaces only.
    const annotations = k.json<KubeObject & { metadata: { annotations: Record<string, string> } }>(['get', APPLYSET_RESOURCE, 'fleet']).metadata.annotations;
    expect(annotations['applyset.kubernetes.io/additional-namespaces'].split(',')).toEqual(namespaces);
  }));

  test('AND the same upgrade again changes nothing', () => step('fleet again', () => {
    const r = upgradeAcrossNamespaces(todaysKeep, today, parentDir, 'fleet');
    expect(r.stack).not.toMatch(/ (pruned|created|configured)$/m);
    expect(identities([...todays, ...todaysKept.filter(isKept), droppedNamespace, ...foreign])).toEqual(before);
  }));
});

describe('the first upgrade of a fleet applied the old way (plain kubectl apply, one file with its Namespaces)', () => {
  // Today's fleet in namespaces of its own (legacy-NNN), without node ports so that it sits beside
  // the fleet above, and a cluster-scoped parent of its own, named after its file.
  const rename = <T>(o: T): T => replaced(o, 'tenant-', 'legacy-');
  const withoutNodePorts = (o: KubeObject): KubeObject => {
    const svc = o as KubeObject & { spec?: { type?: string; ports?: Array<Record<string, unknown>> } };
    if (o.kind !== 'Service' || svc.spec?.type !== 'NodePort') return o;
    return { ...svc, spec: { ...svc.spec, type: 'ClusterIP', ports: svc.spec.ports?.map(({ nodePort: _, ...p }) => p) } } as KubeObject;
  };
  const todays = readManifests([path.join(DIST, 'fleet', 'fleet.k8s.yaml')]).map(rename).map(withoutNodePorts);
  const todaysKept = readManifests([path.join(DIST, 'fleet', 'fleet-keep.k8s.yaml')]).map(rename);
  const namespaces = todaysKept.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
  const last = namespaces[namespaces.length - 1];
  const dropped = `legacy-${String(namespaces.length + 1).padStart(3, '0')}`;
  const droppedTenant = todays.filter((o) => o.metadata.namespace === last).map((o) => replaced(o, last, dropped));
  const droppedNamespace = replaced(todaysKept.find((o) => o.metadata.name === last)!, last, dropped);
  const extras = [...droppedTenant, extraDeployment(namespaces[0])];
  let keepFile = '';
  let stackFile = '';
  let parentDir = '';
  let before: Record<string, string | undefined> = {};

  test('GIVEN an older fleet (plus a tenant and a Deployment) applied with plain kubectl apply, Namespaces in the same file', () => step('old-way fleet', () => {
    // The older fleet as one file, the way dist/fleet/ was written before keep files.
    const older = path.join(work, 'legacy-fleet-older.json');
    const unlabelled = (o: KubeObject) => { const c = JSON.parse(JSON.stringify(o)) as KubeObject; delete c.metadata.labels?.[PART_OF]; return c; };
    fs.writeFileSync(older, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...todaysKept.filter((o) => o.kind === 'Namespace'), droppedNamespace, ...todays, ...extras].map(unlabelled) }));
    k.ok(['apply', '-f', older]);
    // Today's files as synth writes them for this fleet: keep file, stack file, parent.
    keepFile = path.join(work, 'legacy-fleet-keep.json');
    stackFile = path.join(work, 'legacy-fleet.json');
    parentDir = path.join(work, 'legacy-applyset');
    fs.mkdirSync(parentDir);
    fs.writeFileSync(keepFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: todaysKept }));
    fs.writeFileSync(stackFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: todays }));
    fs.writeFileSync(path.join(parentDir, 'legacy-fleet.json'), JSON.stringify(parentObject('legacy-fleet.k8s.yaml')));
    before = identities([...extras, droppedNamespace]);
  }));

  test('WHEN today\'s fleet is applied the documented way THEN it adopts today\'s objects and prunes nothing', () => step('adopt fleet', () => {
    const r = upgradeAcrossNamespaces(keepFile, stackFile, parentDir, 'legacy-fleet');
    expect(r.stderr).not.toMatch(/failed to update ApplySet|conflict/);
    expect(r.stack).not.toMatch(/ pruned$/m);
    expect(r.stack.split('\n').filter((l) => / configured$/.test(l)).length).toBe(todays.length);
    expect(identities([...extras, droppedNamespace])).toEqual(before);
  }));

  test('AND the one-time step, run in each namespace the old fleet had, lists exactly the extras, and deleting them touches nothing else', () => step('fleet cleanup', async () => {
    const listed: string[] = [];
    for (const ns of [...namespaces, dropped]) {
      listed.push(...k.ok(['get', ADOPTION_KINDS, '-n', ns, '-l', ADOPTION_SELECTOR, '-o', 'name']).stdout.split('\n').filter(Boolean).map((l) => `${l} -n ${ns}`));
    }
    expect(listed.sort()).toEqual(extras.map((o) => `${kubectlRef(o)} -n ${o.metadata.namespace}`).sort());
    const kept = identities([...todays, ...todaysKept.filter(isKept), droppedNamespace]);
    for (const ns of [...namespaces, dropped]) k.ok(['delete', ADOPTION_KINDS, '-n', ns, '-l', ADOPTION_SELECTOR]);
    await waitGone(extras);
    expect(identities([...todays, ...todaysKept.filter(isKept), droppedNamespace])).toEqual(kept);
    // From then on the upgrade changes nothing.
    const again = upgradeAcrossNamespaces(keepFile, stackFile, parentDir, 'legacy-fleet');
    expect(again.stack).not.toMatch(/ (pruned|created|configured)$/m);
  }));
});
