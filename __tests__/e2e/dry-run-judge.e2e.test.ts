// The cluster as the judge (control-plane tier): a few hundred generated stacks, valid ones and
// mutations of them, each judged by synth and by a real API server with Pod Security admission
// (`kubectl apply --dry-run=server`, the stacks' Namespaces created for real first). Synth must
// report an error wherever the server rejects, and refuse nothing the server accepts but what it
// refuses on purpose (REFUSED_ON_PURPOSE). JUDGE_SEED=<n> replays a run, JUDGE_SEED=random draws
// a new one; JUDGE_RUNS sets the number of stacks (default 300); JUDGE_REPORT=<file> writes
// every case with both verdicts as JSON.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { Cluster, startCluster } from '../../tools/control-plane/cluster';
import { caseArb } from './support/judge-stacks';
import { askServer, classOf, deleteNamespaces, describeCase, Judged, outcomeOf, prepare } from './support/judge';
import { Kubectl } from './support/kube';

/** Fixed unless asked otherwise, so CI replays the same stacks. */
const DEFAULT_SEED = 20261203;
const SEED = process.env.JUDGE_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31)
  : Number(process.env.JUDGE_SEED ?? DEFAULT_SEED);
const RUNS = Number(process.env.JUDGE_RUNS ?? 300);

let cluster: Cluster | undefined;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dry-run-judge-'));
  // No pod runs here: one simulated node is enough for the API server to have a cluster.
  cluster = await startCluster({ nodes: 1, log: (line) => process.stderr.write(`[cluster] ${line}\n`) });
}, 300_000);

afterAll(async () => {
  if (cluster) {
    const left = deleteNamespaces(cluster.kubeconfig, dir);
    if (left) process.stderr.write(`deleting the judge's namespaces: ${left}\n`);
    await cluster.stop();
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('synth and the API server agree on generated stacks', () => {
  test('Pod Security admission is on: a root pod in a restricted namespace is refused', () => {
    // GIVEN a namespace that enforces restricted
    const k = new Kubectl(cluster!.kubeconfig);
    k.ok(['create', 'namespace', 'judge-psa-probe']);
    k.ok(['label', 'namespace', 'judge-psa-probe', 'pod-security.kubernetes.io/enforce=restricted']);
    // WHEN a pod that runs as the image's user is dry-run there
    const r = k.run(['run', 'probe', '-n', 'judge-psa-probe', '--image=nginx:1.27', '--dry-run=server']);
    k.ok(['delete', 'namespace', 'judge-psa-probe', '--wait=false']);
    // THEN Pod Security refuses it
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/violates PodSecurity "restricted:latest"/);
  });

  test(`${RUNS} stacks: every server rejection is a synth error, every synth refusal is on purpose`, () => {
    // GIVEN valid stacks and mutations of them, from the seed
    process.stderr.write(`dry-run judge: JUDGE_SEED=${SEED} JUDGE_RUNS=${RUNS}\n`);
    const t0 = Date.now();
    const cases = fc.sample(caseArb, { seed: SEED, numRuns: RUNS });
    const judged: Judged[] = prepare(cases, dir);
    const tSynth = (Date.now() - t0) / 1000;

    // WHEN the API server judges them all in one batch
    const run = askServer(cluster!.kubeconfig, dir);
    for (const j of judged) j.server = run.rejections.get(j.index) ?? [];

    // THEN the two verdicts agree on every stack
    const byClass = new Map<string, Judged[]>();
    const tally = new Map<string, number>();
    for (const j of judged) {
      const { outcome } = outcomeOf(j);
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
      if (outcome === 'agree') continue;
      const c = classOf(j);
      byClass.set(c, [...(byClass.get(c) ?? []), j]);
    }
    const report = [...byClass.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, js]) =>
      `## ${c}: ${js.length} case(s) [${js.map((j) => j.index).join(' ')}]\n${describeCase(js[0], SEED)}`).join('\n\n');
    process.stderr.write(`dry-run judge: synth ${tSynth.toFixed(1)} s, server ${JSON.stringify(run.timings)}; ` +
      `${JSON.stringify(Object.fromEntries(tally))}\n${report}\n`);
    if (process.env.JUDGE_REPORT) {
      // Every case with both verdicts, for a closer look than the summary above.
      fs.writeFileSync(process.env.JUDGE_REPORT, JSON.stringify(judged.map((j) => ({ ...j, ...outcomeOf(j), class: classOf(j) })), null, 1));
    }
    expect(run.unattributed).toEqual([]);
    // A stack that throws while it is built breaks the library's promise as much as a disagreement.
    const disagreements = [...byClass.entries()].filter(([c]) => /^(server rejects|synth refuses|thrown)/.test(c));
    if (disagreements.length) {
      throw new Error(`synth and the API server disagree (JUDGE_SEED=${SEED}):\n\n${disagreements.map(([c, js]) =>
        `## ${c}: ${js.length} case(s)\n${js.slice(0, 2).map((j) => describeCase(j, SEED)).join('\n')}`).join('\n\n')}`);
    }
  }, 300_000);
});
