// The load tier: dist/production/ on the two real nodes keeps serving while Kubernetes moves
// it around. Streams of GETs to vote and result (through each node's node port and each
// LoadBalancer address the Services have) and of votes, each from a voter of its own, run
// while a scenario happens: a rolling update, a node's kubelet and containerd restart, redis
// and db pods deleted, a node drained. vegeta (the Go module proxy, tools/load/build.sh) sends
// them from the cluster's lan network namespace, at a constant rate and bounded in time.
//
// Goals, asserted: 0 failed GETs through the rolling update of vote and result and through
// the drain of a node; 0 accepted votes lost (answered with success by vote but never counted
// in postgres) through the rolling update of vote and the restart of redis. The other
// scenarios report figures only. With LOAD_RECORD=1 the figures go to docs/reliability.md as a
// dated record (see docs/testing.md); every run prints them.
//
// It starts its own cluster. With E2E_KUBECONFIG (a user's kind or minikube) it runs where the
// cluster gives LoadBalancer addresses, through them alone, from this machine, and skips with
// a line where it has no load balancer implementation; the drain and the kubelet restart are
// left out there (they would disturb the user's nodes).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync, spawn } from 'child_process';
import { Cluster, startCluster } from '../../tools/control-plane/cluster';
import { Kubectl, Pod, isPodReady, deploymentProblems, readManifests, manifestFiles, KubeObject, until as untilWithin, nodeAddresses } from './support/kube';
import {
  Endpoint, Figures, Hit, Stream, StreamOptions, failureCounts, killAllStreams, p99Ms, renderRecord, startGets, startVotes,
  succeeded, voterOf, writeRecord,
} from './support/load';
import { detectLoadBalancer, loadBalancerAddress } from './support/load-balancer';

const ROOT = path.resolve(__dirname, '..', '..');
const PROD = path.join(path.resolve(process.env.E2E_DIST_DIR ?? path.join(ROOT, 'dist')), 'production');
const NS = 'voting-app-production';
const EXISTING = process.env.E2E_KUBECONFIG;
const RECORD = process.env.LOAD_RECORD === '1';
/** Requests per second of the GET stream (over every endpoint in turn) and of the vote stream. */
const GET_RATE = Number(process.env.LOAD_GET_RATE ?? 30);
const VOTE_RATE = Number(process.env.LOAD_VOTE_RATE ?? 5);
/** The hard bound of each stream; a scenario normally ends it well before. */
const MAX_STREAM_SECONDS = 150;
/** Traffic before the scenario's action, and after everything is back. */
const LEAD_MS = 4000;
const TRAIL_MS = 6000;
const REQUEST_TIMEOUT_SECONDS = 10;

let cluster: Cluster | undefined;
let k: Kubectl;
let nodeIps: string[] = [];
let vegeta = '';
let work = '';
const figures: Figures[] = [];
/** On an existing cluster without a load balancer implementation: why the tier is skipped. */
let noLoadBalancer: string | undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a value (support/kube.ts), by default for up to 180_000. */
const until = <T>(what: string, fn: () => T | undefined | false, ms = 180_000): Promise<T> => untilWithin(what, fn, ms);

function pods(name?: string): Pod[] {
  return k.list<Pod>('pods', NS).filter((p) => !name || p.metadata.labels?.['app.kubernetes.io/name'] === name);
}

function readyPod(name: string): Pod {
  const p = pods(name).filter(isPodReady);
  if (!p.length) throw new Error(`no Ready pod of ${name}`);
  return p[0];
}

/** Deletes the Ready pod of `name` and waits for its replacement to be Ready. */
async function replacePod(name: string): Promise<void> {
  const old = readyPod(name).metadata.name;
  k.ok(['delete', 'pod', '-n', NS, old, '--wait=true'], { timeoutMs: 120_000 });
  await until(`a new Ready ${name} pod`, () => readyPod(name).metadata.name !== old);
}

function exec(pod: string, cmd: string[]): string {
  return k.ok(['exec', '-n', NS, pod, '--', ...cmd], { timeoutMs: 30_000 }).stdout;
}

const deployments = (): KubeObject[] => readManifests(manifestFiles(PROD)).filter((o) => o.kind === 'Deployment');

/** Every Deployment of the profile Available with all its replicas updated. */
async function settled(ms = 240_000): Promise<void> {
  await until('every production Deployment Available and up to date', () => {
    const problems = deploymentProblems(k, deployments());
    if (problems.length) throw new Error(problems.join('; '));
    // HPA-scaled Deployments (vote) start at one replica; wait for their minimum too.
    const hpas = k.list<{ spec: { minReplicas?: number; scaleTargetRef: { name: string } } }>('horizontalpodautoscalers', NS);
    for (const h of hpas) {
      const ready = pods(h.spec.scaleTargetRef.name).filter(isPodReady).length;
      if (ready < (h.spec.minReplicas ?? 1)) throw new Error(`${h.spec.scaleTargetRef.name}: ${ready} ready of ${h.spec.minReplicas}`);
    }
    return true;
  }, ms);
}

/**
 * What the streams go through: vote and result by each node's node port, and by each
 * LoadBalancer address the Services have (none until the cluster runs a load balancer
 * implementation; then they join the streams with no change here).
 */
function endpoints(): Endpoint[] {
  const out: Endpoint[] = [];
  for (const service of ['vote', 'result']) {
    const svc = k.json<{ spec: { ports: { port: number; nodePort?: number }[] }; status?: { loadBalancer?: { ingress?: { ip?: string }[] } } }>(
      ['get', 'service', service, '-n', NS]);
    const { port, nodePort } = svc.spec.ports[0];
    if (nodePort) for (const ip of nodeIps) out.push({ service, via: `node port ${ip}`, url: `http://${ip}:${nodePort}/` });
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
      if (ing.ip) out.push({ service, via: `LoadBalancer ${ing.ip}`, url: `http://${ing.ip}:${port}/` });
    }
  }
  return out;
}

function streamOptions(rate: number): StreamOptions {
  return { vegeta, dir: work, netns: cluster?.netns, rate, maxSeconds: MAX_STREAM_SECONDS, timeoutSeconds: REQUEST_TIMEOUT_SECONDS };
}

/** The voters among `voters` whose vote is a row of the votes table. */
function counted(voters: string[], prefix: string): Set<string> {
  const db = readyPod('db').metadata.name;
  const out = exec(db, ['psql', '-U', 'postgres', '-tAc', `SELECT id FROM votes WHERE id LIKE '${prefix}-%'`]);
  const rows = new Set(out.split('\n').map((l) => l.trim()).filter(Boolean));
  return new Set(voters.filter((v) => rows.has(v)));
}

/**
 * Runs a scenario under the streams: traffic first, then the action (which returns once what it
 * did is over), then traffic until every Deployment is back and a little after. Returns the
 * figures (also kept for the record); the caller asserts the goal.
 */
async function underLoad(scenario: string, goal: string, o: { votes: boolean; prefix: string }, action: () => Promise<string[] | void>): Promise<Figures> {
  const targets = endpoints();
  const started = Date.now();
  const load0 = os.loadavg()[0];
  const streams: Stream[] = [startGets(`${o.prefix}-gets`, targets, streamOptions(GET_RATE))];
  if (o.votes) streams.push(startVotes(o.prefix, targets.filter((e) => e.service === 'vote'), streamOptions(VOTE_RATE)));
  let notes: string[] = [];
  let gets: Hit[] = [];
  let votes: Hit[] = [];
  try {
    await sleep(LEAD_MS);
    const actionAt = Date.now();
    notes = (await action()) ?? [];
    notes.unshift(`the action ran from ${Math.round((actionAt - started) / 1000)} s to ${Math.round((Date.now() - started) / 1000)} s`);
    await settled();
    await sleep(TRAIL_MS);
  } finally {
    gets = await streams[0].stop();
    if (streams[1]) votes = await streams[1].stop();
  }
  const f: Figures = {
    scenario, goal, seconds: Math.round((Date.now() - started) / 1000),
    gets: { sent: gets.length, failed: gets.filter((h) => !succeeded(h)).length, p99Ms: p99Ms(gets) },
    via: targets.map((e) => `${e.service} via ${e.via}`),
    load: [load0, os.loadavg()[0]],
    notes: [...notes, ...Object.entries(failureCounts([...gets, ...votes], targets)).map(([key, n]) => `${n} × ${key}`), ...warningsSince(started)],
  };
  const failedAt = gets.filter((h) => !succeeded(h)).map((h) => Math.round((Date.parse(h.timestamp) - started) / 1000));
  if (failedAt.length) f.notes.unshift(`GETs failed between ${Math.min(...failedAt)} s and ${Math.max(...failedAt)} s after the start`);
  if (o.votes) {
    const accepted = votes.filter(succeeded).map(voterOf);
    // The worker moves votes from redis to postgres: wait until each accepted vote is a row,
    // or long enough that a missing one is lost.
    let rows = new Set<string>();
    await until('the accepted votes counted in postgres', () => {
      rows = counted(accepted, o.prefix);
      return rows.size === accepted.length;
    }, 60_000).catch(() => undefined);
    f.votes = {
      sent: votes.length, failed: votes.length - accepted.length, p99Ms: p99Ms(votes),
      accepted: accepted.length, counted: rows.size, lost: accepted.length - rows.size,
    };
    const lost = accepted.filter((v) => !rows.has(v));
    if (lost.length) f.notes.push(`votes accepted and never counted: ${lost.slice(0, 10).join(', ')}${lost.length > 10 ? ', …' : ''}`);
  }
  figures.push(f);
  process.stderr.write(`[load] ${JSON.stringify(f)}\n`);
  return f;
}

/** The notes that explain a missed goal: failed GETs and votes lost (failed votes are figures). */
function goalNotes(f: Figures): string[] {
  return f.notes.filter((n) => / × GET /.test(n) || n.startsWith('votes accepted and never counted'));
}

/**
 * The Warning events of the namespace since a time (a probe that failed, a hook that failed, a
 * pod that could not be placed), counted by reason and object: what explains a failed request.
 */
function warningsSince(since: number): string[] {
  type Event = { type: string; reason: string; message: string; count?: number; involvedObject: { name: string };
    lastTimestamp?: string; eventTime?: string; series?: { count: number; lastObservedTime: string } };
  const counts = new Map<string, number>();
  for (const e of k.list<Event>('events', NS)) {
    const at = Date.parse(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? '');
    if (e.type !== 'Warning' || !(at >= since - 1000)) continue;
    // The autoscalers have no metrics API on these nodes (no metrics-server): not news.
    if (/^Failed(GetResourceMetric|ComputeMetricsReplicas)$/.test(e.reason)) continue;
    const key = `${e.reason} ${e.involvedObject.name}: ${e.message.replace(/\s+/g, ' ').slice(0, 120)}`;
    counts.set(key, (counts.get(key) ?? 0) + (e.series?.count ?? e.count ?? 1));
  }
  return [...counts].map(([key, n]) => `event ${n} × ${key}`);
}

/** Runs kubectl without blocking (the test samples the cluster meanwhile). */
function kubectlAsync(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn('kubectl', [`--kubeconfig=${k.kubeconfig}`, ...args], { env: { ...process.env, KUBECONFIG: '' } });
    let out = '';
    p.stdout.on('data', (c) => { out += c; });
    p.stderr.on('data', (c) => { out += c; });
    p.on('exit', (code) => resolve({ code, out }));
  });
}

beforeAll(async () => {
  if (EXISTING) {
    k = new Kubectl(EXISTING);
    const lb = await detectLoadBalancer(k);
    if (!lb.available) {
      noLoadBalancer = lb.why;
      return;
    }
  }
  vegeta = execFileSync('bash', [path.join(ROOT, 'tools', 'load', 'build.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cva-load-'));
  if (EXISTING) return;
  cluster = await startCluster({ realNodes: 2, log: (line) => process.stderr.write(`[cluster] ${line}\n`) });
  k = new Kubectl(cluster.kubeconfig);
  nodeIps = nodeAddresses(k);
}, 900_000);

afterAll(async () => {
  killAllStreams();
  if (figures.length) {
    const record = renderRecord(figures, { root: ROOT, rates: `GETs at ${GET_RATE}/s and votes at ${VOTE_RATE}/s` });
    process.stderr.write(`\n${record}\n`);
    if (RECORD) writeRecord(path.join(ROOT, 'docs', 'reliability.md'), record);
  }
  if (work) fs.rmSync(work, { recursive: true, force: true });
  if (EXISTING && !noLoadBalancer) k.run(['delete', '--ignore-not-found', '--wait=false', '-f', PROD]);
  if (!cluster) return;
  await cluster.stop();
  expect(cluster.leftovers()).toEqual([]);
  expect(fs.existsSync(cluster.dir)).toBe(false);
}, 120_000);

/** Whether a scenario is skipped, with the line that says why; `disturbsNodes`: it drains a node or restarts a kubelet. */
function skipped(disturbsNodes = false): boolean {
  if (!EXISTING) return false;
  if (noLoadBalancer) {
    process.stderr.write(`skipped on an existing cluster without a load balancer implementation: ${noLoadBalancer}\n`);
    return true;
  }
  if (disturbsNodes) {
    process.stderr.write('skipped on an existing cluster: it would drain a node or restart a kubelet of yours\n');
    return true;
  }
  return false;
}

/** curl, from the lan namespace of our cluster or from this machine. */
function curl(args: string[]): void {
  if (cluster) cluster.inLan('curl', args);
  else execFileSync('curl', args, { stdio: 'ignore', timeout: 20_000 });
}

describe('dist/production/ under load on real nodes', () => {
  test('dist/production/ is applied and every Deployment is Available', async () => {
    if (skipped()) return;
    // On an existing cluster the real-node tier has just deleted the same namespace without waiting.
    await until(`namespace ${NS} not terminating`, () => k.run(['get', 'namespace', NS, '-o', 'jsonpath={.status.phase}']).stdout !== 'Terminating', 300_000);
    k.ok(['apply', '-f', PROD], { timeoutMs: 120_000 });
    // The profile reads an existing Secret; the README says to create it so.
    // Applied, not created: on an existing cluster it may be there from an earlier run.
    const secret = k.ok(['-n', NS, 'create', 'secret', 'generic', 'voting-app-db', '--from-literal=username=postgres', '--from-literal=password=postgres', '--dry-run=client', '-o', 'yaml']).stdout;
    k.ok(['-n', NS, 'apply', '-f', '-'], { input: secret });
    await settled(420_000);
    // Where the cluster gives LoadBalancer addresses (MetalLB on our real nodes), the streams go
    // through them too (endpoints()); a Service left without one fails here.
    if (EXISTING || cluster!.loadBalancerPool) for (const svc of ['vote', 'result']) await loadBalancerAddress(k, NS, svc, 120_000);
    // A vote before the streams: the table exists and the whole path works.
    await until('a first vote counted', () => {
      const vote = endpoints().find((e) => e.service === 'vote')!;
      curl(['-sf', '--max-time', '10', '-o', '/dev/null', '-b', 'voter_id=warm-up', '--data', 'vote=a', vote.url]);
      return counted(['warm-up'], 'warm').size === 1;
    }, 120_000);
  }, 600_000);

  test('a rolling update of vote and result: 0 failed GETs, 0 accepted votes lost', async () => {
    if (skipped()) return;
    const f = await underLoad('rolling update of vote and result', '0 failed GETs, 0 votes lost', { votes: true, prefix: 'rolling' }, async () => {
      k.ok(['rollout', 'restart', 'deployment/vote', 'deployment/result', '-n', NS]);
      for (const d of ['vote', 'result']) k.ok(['rollout', 'status', `deployment/${d}`, '-n', NS, '--timeout=240s'], { timeoutMs: 250_000 });
    });
    f.met = f.gets.failed === 0 && f.votes!.lost === 0;
    expect({ failedGets: f.gets.failed, lostVotes: f.votes!.lost, why: goalNotes(f) }).toEqual({ failedGets: 0, lostVotes: 0, why: [] });
  }, 600_000);

  test("one node's kubelet and containerd restart: figures only", async () => {
    if (skipped(true)) return;
    const node = cluster!.nodes[0];
    const f = await underLoad(`kubelet and containerd of ${node} restarted`, 'figures only', { votes: true, prefix: 'kubelet' }, async () => {
      await cluster!.restart(`kubelet-${node}`, `containerd-${node}`);
      await until(`${node} Ready again`, () => k.json<{ status: { conditions: { type: string; status: string }[] } }>(['get', 'node', node])
        .status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'));
    });
    expect(f.gets.sent).toBeGreaterThan(0);
  }, 600_000);

  test('the redis pod is deleted: 0 accepted votes lost', async () => {
    if (skipped()) return;
    const f = await underLoad('redis pod deleted', '0 votes lost', { votes: true, prefix: 'redis' }, () => replacePod('redis'));
    f.met = f.votes!.lost === 0;
    expect({ lostVotes: f.votes!.lost }).toEqual({ lostVotes: 0 });
  }, 600_000);

  test('the db pod is deleted: figures only', async () => {
    if (skipped()) return;
    const f = await underLoad('db pod deleted', 'figures only', { votes: true, prefix: 'db' }, async () => {
      await replacePod('db');
      // These hold for the stand-in worker, which keeps a vote in redis until postgres has it
      // and retries its write; the upstream worker pops a vote before it writes it and can drop
      // the one it holds when db goes away.
      return ['votes counted by the stand-in worker, which keeps a vote in redis until postgres has it (the upstream worker can drop the vote it holds)'];
    });
    expect(f.gets.sent).toBeGreaterThan(0);
  }, 600_000);

  test('a node is drained: 0 failed GETs, and the PodDisruptionBudgets hold', async () => {
    if (skipped(true)) return;
    // The node with the most front-end pods (vote, result), so the budgets have something to
    // hold; of two alike, the one that runs redis, so votes meet redis moving too.
    const all = pods().filter(isPodReady);
    const redisNode = readyPod('redis').spec.nodeName!;
    const fronts = (n: string) => all.filter((p) => p.spec.nodeName === n && ['vote', 'result'].includes(p.metadata.labels?.['app.kubernetes.io/name'] ?? '')).length;
    const node = [...cluster!.nodes].sort((a, b) => fronts(b) - fronts(a) || Number(b === redisNode) - Number(a === redisNode))[0];
    const what = `${fronts(node)} front-end pods${node === redisNode ? ' and redis' : ''}`;
    const budgets = k.list<{ spec: { maxUnavailable?: number; selector: { matchLabels: Record<string, string> } } }>('poddisruptionbudgets', NS);
    // The fewest Ready pods each budgeted workload had while the drain ran.
    const fewest: Record<string, number> = {};
    const sample = () => {
      const all = pods();
      for (const b of budgets) {
        const name = b.spec.selector.matchLabels['app.kubernetes.io/name'];
        const ready = all.filter((p) => p.metadata.labels?.['app.kubernetes.io/name'] === name && isPodReady(p)).length;
        fewest[name] = Math.min(fewest[name] ?? Infinity, ready);
      }
    };
    const desired: Record<string, number> = {};
    for (const b of budgets) {
      const name = b.spec.selector.matchLabels['app.kubernetes.io/name'];
      desired[name] = Math.max(0, pods(name).filter(isPodReady).length - (b.spec.maxUnavailable ?? 0));
    }
    const f = await underLoad(`${node} (running ${what}) drained`, '0 failed GETs; votes counted apart', { votes: true, prefix: 'drain' }, async () => {
      const drain = kubectlAsync(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=240s']);
      let done: { code: number | null; out: string } | undefined;
      void drain.then((r) => { done = r; });
      while (!done) {
        sample();
        await sleep(500);
      }
      k.ok(['uncordon', node]);
      if (done.code !== 0) throw new Error(`kubectl drain ${node} exited ${done.code}: ${done.out}`);
      return [`fewest Ready pods while it drained: ${Object.entries(fewest).map(([name, n]) => `${name} ${n}`).join(', ')}`,
        ...(node === redisNode ? ['votes counted apart: redis (one replica, on a claim) moves with the drain'] : [])];
    });
    f.met = f.gets.failed === 0;
    expect({ failedGets: f.gets.failed, why: goalNotes(f).filter((n) => / × GET /.test(n)) }).toEqual({ failedGets: 0, why: [] });
    // kubectl drain evicts through the budgets: no budgeted workload had fewer Ready pods than
    // its budget allows.
    const below = Object.keys(desired).filter((name) => fewest[name] < desired[name])
      .map((name) => `${name}: ${fewest[name]} Ready at the fewest, the budget keeps ${desired[name]}`);
    expect(below).toEqual([]);
  }, 600_000);
});
