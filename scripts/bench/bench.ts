// npm run bench: wall time and peak memory (median of several runs) of
//  - `npm run synth` against the cdk8s template's `npx ts-node main.ts`;
//  - a tenant fleet at N = 1, 10, 100, 1000: our one-chart synth, one cdk8s
//    Chart per tenant with App.synth(), and `kubectl kustomize` over the same
//    objects as plain YAML files; and, for scale, the cdk8s floor: the same
//    objects, final, as plain ApiObjects rendered by cdk8s with no library logic;
//    and `helm template` (Helm v3.16.4, built once from the Go module proxy) over
//    scripts/bench/helm-chart/, checked to write exactly our fleet's objects at each size;
// prints the ratios and whether the targets (ratios against the floor and Helm, measured
// in the same run) are met, and writes
// docs/benchmark.md (a section per Node major) and docs/benchmark-node<major>.svg.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dump } from 'js-yaml';
import { toYaml } from '../../lib/synth/yaml';
import { helmBinary, HELM_VERSION } from './helm';
import { compareRenderings, parseManifests } from './same-objects';

const root = path.resolve(__dirname, '..');
// Run-to-run spread on this 2-core machine is about 10-20 %: five runs give a steadier median.
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '1,10,100,1000').split(',').map(Number);
// A baseline run slower than this is not repeated: it cannot change the verdict.
const SLOW_SECONDS = 20;
// A baseline run is stopped after this many seconds and shown as "> limit": kubectl kustomize
// at N = 1000 took 15 minutes on one machine, 4x longer on another, and is not behind a target.
const BASELINE_LIMIT = Number(process.env.BENCH_BASELINE_LIMIT ?? 300);
const TIME = '/usr/bin/time';

interface Measure { wall: number; min: number; max: number; peakMb: number; runs: number; timedOut?: boolean }
interface Row { n: number; objects: number; ours: Measure; perChart: Measure; kustomize: Measure; floor: Measure; helm: Measure }

/** A command the bench times: what it runs and how its line is labelled. */
interface Subject { label: string; cmd: string; args: string[]; env?: NodeJS.ProcessEnv }

/**
 * Wall time and peak memory of `subject`, median of RUNS runs. With `limit` (a
 * baseline), a run is killed after that many seconds and the result is a
 * lower bound, marked `timedOut`.
 */
function measure(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, limit?: number): Measure {
  return measureTogether([{ label, cmd, args, env }], limit)[0];
}

/**
 * The subjects whose times are compared with each other, run in turns (one run of each, RUNS
 * times): this machine's speed drifts by 10-20 % within minutes, and a block of runs of one
 * subject after a block of another would measure the drift as well.
 */
function measureTogether(subjects: Subject[], limit?: number): Measure[] {
  const walls: number[][] = subjects.map(() => []);
  const peaks: number[][] = subjects.map(() => []);
  const stopped = new Set<number>();
  const done = new Set<number>();
  const out = path.join(os.tmpdir(), `bench-time-${process.pid}`);
  try {
    for (let i = 0; i < RUNS && done.size < subjects.length; i++) {
      subjects.forEach((subject, k) => {
        if (done.has(k)) {
          return;
        }
        const command = limit === undefined ? [subject.cmd, ...subject.args] : ['timeout', '-s', 'KILL', String(limit), subject.cmd, ...subject.args];
        const started = Date.now();
        const r = spawnSync(TIME, ['-f', '%e %M', '-o', out, ...command], { cwd: root, env: { ...process.env, ...subject.env }, encoding: 'utf-8' });
        // 137 is a SIGKILL: the limit's only if the limit has passed (not, say, the OOM killer's).
        if (limit !== undefined && r.status === 137 && Date.now() - started >= limit * 1000) {
          stopped.add(k);
          done.add(k);
          return;
        }
        if (r.status !== 0) {
          throw new Error(`${subject.label} failed (exit ${r.status}):\n${r.stderr}`);
        }
        const [wall, kb] = fs.readFileSync(out, 'utf-8').trim().split('\n').pop()!.split(' ').map(Number);
        walls[k].push(wall);
        peaks[k].push(kb / 1024);
        if (wall > SLOW_SECONDS) {
          done.add(k);
        }
      });
    }
  } finally {
    fs.rmSync(out, { force: true });
  }
  return subjects.map((subject, k) => {
    if (stopped.has(k)) {
      process.stdout.write(`  ${subject.label.padEnd(44)} > ${limit} s (stopped)\n`);
      return { wall: limit!, min: limit!, max: limit!, peakMb: NaN, runs: 1, timedOut: true };
    }
    const m = { wall: median(walls[k]), min: Math.min(...walls[k]), max: Math.max(...walls[k]), peakMb: median(peaks[k]), runs: walls[k].length };
    const spread = m.runs > 1 ? `, ${m.min.toFixed(2)}-${m.max.toFixed(2)} s` : '';
    process.stdout.write(`  ${subject.label.padEnd(44)} ${m.wall.toFixed(2).padStart(7)} s ${m.peakMb.toFixed(0).padStart(6)} MB  (${m.runs} run${m.runs === 1 ? '' : 's'}${spread})\n`);
    return m;
  });
}

/** A wall time for the tables: a stopped run shows as a lower bound. */
function seconds(m: Measure): string {
  return m.timedOut ? `> ${m.wall.toFixed(0)} s` : `${m.wall.toFixed(2)} s`;
}

function peak(m: Measure): string {
  return m.timedOut ? '-' : `${m.peakMb.toFixed(0)} MB`;
}

/** How many times faster `ours` is than `baseline`; a lower bound when the baseline was stopped. */
function speedUp(baseline: Measure, ours: Measure): string {
  return `${baseline.timedOut ? '> ' : ''}${(baseline.wall / ours.wall).toFixed(1)}x`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Bundles `entry` as `npm run synth` bundles main.ts (dependencies included);
 * both fleet subjects run from it, through scripts/run-bundle.js with V8's
 * code cache, as `npm run synth` runs.
 */
function bundle(entry: string, out: string): void {
  const r = spawnSync(path.join(root, 'node_modules', '.bin', 'esbuild'), [entry, '--bundle', '--platform=node', `--outfile=${out}`, '--log-level=warning'], { cwd: root, encoding: 'utf-8' });
  if (r.status !== 0) {
    throw new Error(r.stderr);
  }
}

/** One unmeasured run, as a user's first synth: it builds what later runs reuse (the bundle, its code cache). */
function warmUp(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const r = spawnSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf-8' });
  if (r.status !== 0) {
    throw new Error(`${label} failed (exit ${r.status}):\n${r.stderr}`);
  }
}

type Manifest = { kind: string; metadata: { name: string; namespace?: string } };

/** The objects of our fleet, one plain YAML file per tenant, with a kustomization listing them. */
function kustomizeInput(docs: Manifest[], dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const byTenant = new Map<string, unknown[]>();
  for (const doc of docs) {
    const tenant = doc.kind === 'Namespace' ? doc.metadata.name : doc.metadata.namespace!;
    byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), doc]);
  }
  const resources: string[] = [];
  for (const [tenant, docs] of byTenant) {
    fs.writeFileSync(path.join(dir, `${tenant}.yaml`), docs.map(toYaml).join('---\n'));
    resources.push(`${tenant}.yaml`);
  }
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), dump({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }));
}

/**
 * Stops the bench unless Helm wrote exactly our fleet's objects: a baseline that writes other
 * objects would be timed doing other work.
 */
function sameObjectsOrFail(n: number, ours: unknown[], helmFile: string): void {
  const difference = compareRenderings(
    { name: 'ours', documents: ours },
    { name: 'helm', documents: parseManifests(fs.readFileSync(helmFile, 'utf-8')) },
    // Enough to show every object of the first tenant that differs.
    16,
  );
  if (difference !== undefined) {
    throw new Error(`fleet of ${n}: ${difference}\nscripts/bench/helm-chart/ must write what VotingAppFleet writes (scripts/bench/fleet.ts, mode ours): change the chart to match.`);
  }
  process.stdout.write(`  ${'helm writes the same objects as ours'.padEnd(44)}     yes (${ours.length} objects)\n`);
}

async function plot(rows: Row[], objectsPerTenant: number): Promise<string> {
  const vega = await import('vega');
  // vega-lite's typings need "moduleResolution": "bundler"; this is all we use of it.
  const vegaLite = 'vega-lite';
  const vl = (await import(vegaLite)) as { compile(spec: object): { spec: import('vega').Spec } };
  // A stopped baseline has no point: its time is only a lower bound.
  const values = rows.flatMap(r => [
    { n: r.n, m: r.ours, way: 'our synth (one chart)' },
    { n: r.n, m: r.perChart, way: 'one cdk8s Chart per tenant' },
    { n: r.n, m: r.kustomize, way: 'kubectl kustomize' },
    { n: r.n, m: r.floor, way: 'cdk8s floor (same objects, plain ApiObjects)' },
    { n: r.n, m: r.helm, way: `helm template ${HELM_VERSION} (one chart, range over tenants)` },
  ]).filter(v => !v.m.timedOut).map(({ n, m, way }) => ({ n, seconds: m.wall, way }));
  const spec = vl.compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Tenant fleet: wall time against tenants (log-log, median)',
    width: 520, height: 320,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'n', type: 'quantitative', scale: { type: 'log' }, title: `tenants (${objectsPerTenant} objects each)` },
      y: { field: 'seconds', type: 'quantitative', scale: { type: 'log' }, title: 'wall time (s)' },
      color: { field: 'way', type: 'nominal', title: null, legend: { orient: 'top-left', labelLimit: 0 } },
    },
  }).spec;
  return new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg();
  if (!fs.existsSync(TIME)) {
    throw new Error(`${TIME} is needed to measure peak memory: apt-get install time`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-bench-'));
  // Inside the repository, so that it finds node_modules.
  const fleetJs = path.join(root, 'build', 'bench-fleet.js');
  bundle(path.join(root, 'scripts', 'bench', 'fleet.ts'), fleetJs);
  process.stdout.write(`cdk8s-voting-app benchmark: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${RUNS} runs, median\n\n`);

  const runBundle = path.join(root, 'scripts', 'run-bundle.js');
  const helm = helmBinary(line => process.stdout.write(`${line}\n`));
  const helmChart = path.join(root, 'scripts', 'bench', 'helm-chart');
  // Helm's own settings and caches in the work folder: the user's repositories play no part.
  const helmEnv = { HELM_CONFIG_HOME: path.join(work, 'helm', 'config'), HELM_CACHE_HOME: path.join(work, 'helm', 'cache'), HELM_DATA_HOME: path.join(work, 'helm', 'data') };

  process.stdout.write('default stack (everything main.ts writes)\n');
  warmUp('npm run synth', 'npm', ['run', '--silent', 'synth'], { CDK8S_OUTDIR: path.join(work, 'synth') });
  const synth = measure('npm run synth', 'npm', ['run', '--silent', 'synth'], { CDK8S_OUTDIR: path.join(work, 'synth') });
  const tsNode = measure('npx ts-node main.ts (cdk8s template)', 'npx', ['ts-node', 'main.ts'], { CDK8S_OUTDIR: path.join(work, 'ts-node') });

  const rows: Row[] = [];
  for (const n of SIZES) {
    process.stdout.write(`\nfleet of ${n} tenant${n === 1 ? '' : 's'}\n`);
    const out = path.join(work, `ours-${n}`);
    const oursSubject: Subject = { label: 'our synth (one chart)', cmd: process.execPath, args: [runBundle, fleetJs, 'ours', String(n), out] };
    // Written to a file, as ours is; `exec`, so that the time and memory are helm's alone.
    const helmOut = path.join(work, `helm-${n}.yaml`);
    const helmSubject: Subject = {
      label: `helm template ${HELM_VERSION}, chart with a range`, cmd: 'sh', env: helmEnv,
      args: ['-c', 'exec "$0" template bench "$1" --set tenants="$2" > "$3"', helm, helmChart, String(n), helmOut],
    };
    // One unmeasured run of each first: it builds the bundle's code cache, the floor renders our
    // objects, and Helm must write the same ones.
    warmUp(oursSubject.label, oursSubject.cmd, oursSubject.args);
    warmUp(helmSubject.label, helmSubject.cmd, helmSubject.args, helmEnv);
    const docs = parseManifests(fs.readFileSync(path.join(out, 'fleet.k8s.yaml'), 'utf-8')) as Manifest[];
    sameObjectsOrFail(n, docs, helmOut);
    const manifests = path.join(work, `manifests-${n}.json`);
    fs.writeFileSync(manifests, JSON.stringify(docs));
    const floorSubject: Subject = { label: 'cdk8s floor: same objects, plain ApiObjects', cmd: process.execPath, args: [runBundle, fleetJs, 'cdk8s-floor', manifests, path.join(work, `floor-${n}`)] };
    // The three the targets compare, in turns.
    const [ours, helmRun, floor] = measureTogether([oursSubject, helmSubject, floorSubject]);
    const perChart = measure('one Chart per tenant, App.synth()', process.execPath, [runBundle, fleetJs, 'chart-per-tenant', String(n), path.join(work, `per-chart-${n}`)], {}, BASELINE_LIMIT);
    const kdir = path.join(work, `kustomize-${n}`);
    kustomizeInput(docs, kdir);
    const kustomize = measure('kubectl kustomize, same objects as YAML', 'kubectl', ['kustomize', kdir, '-o', '/dev/null'], {}, BASELINE_LIMIT);
    rows.push({ n, objects: docs.length, ours, perChart, kustomize, floor, helm: helmRun });
  }
  fs.rmSync(work, { recursive: true, force: true });

  const at = (n: number) => rows.find(r => r.n === n);
  const big = at(1000);
  const mid = at(100);
  const one = at(1);
  // Per tenant, above the cost of one: what each more tenant costs, at 100 and at 1000.
  const perTenant = (r: Row) => (one ? (r.ours.wall - one.ours.wall) / (r.n - 1) : NaN);
  const targets: Array<[string, boolean | undefined, string]> = [
    ['npm run synth of the default stack <= 1 s wall', synth.wall <= 1, `${synth.wall.toFixed(2)} s`],
    [`fleet of 1000 (${big ? big.objects : '?'} objects) <= 1.6x the cdk8s floor's time`, big && big.ours.wall <= 1.6 * big.floor.wall,
      big ? `${(big.ours.wall / big.floor.wall).toFixed(2)}x (${big.ours.wall.toFixed(2)} s against ${big.floor.wall.toFixed(2)} s)` : 'not run'],
    ['fleet of 1000 <= 1.1x the cdk8s floor\'s peak memory', big && big.ours.peakMb <= 1.1 * big.floor.peakMb,
      big ? `${(big.ours.peakMb / big.floor.peakMb).toFixed(2)}x (${big.ours.peakMb.toFixed(0)} MB against ${big.floor.peakMb.toFixed(0)} MB)` : 'not run'],
    ['cost per tenant above N=1: at 1000 within 1.5x of at 100', big && mid && one && perTenant(big) <= 1.5 * perTenant(mid),
      big && mid && one ? `${(perTenant(big) / perTenant(mid)).toFixed(2)}x (${(perTenant(big) * 1000).toFixed(2)} ms against ${(perTenant(mid) * 1000).toFixed(2)} ms a tenant)` : 'not run'],
    ['fleet of 1000: Helm takes >= 1.5x our time', big && big.helm.wall / big.ours.wall >= 1.5, big ? `${(big.helm.wall / big.ours.wall).toFixed(2)}x` : 'not run'],
    ['fleet of 100: faster than Helm', mid && mid.ours.wall < mid.helm.wall, mid ? `Helm takes ${(mid.helm.wall / mid.ours.wall).toFixed(2)}x our time` : 'not run'],
    // A stopped baseline gives a lower bound: below 10x it decides nothing.
    ['>= 10x faster than one Chart per tenant at 1000', big && (big.perChart.wall / big.ours.wall >= 10 || (big.perChart.timedOut ? undefined : false)),
      big ? speedUp(big.perChart, big.ours) : 'not run'],
  ];

  const table = [
    `| tenants | objects | our synth (min-max) | peak | helm template ${HELM_VERSION} | peak | Helm's time / ours | one Chart per tenant | peak | kubectl kustomize | peak | speed-up vs per-chart | vs kustomize | cdk8s floor | peak |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(r => `| ${r.n} | ${r.objects} | ${r.ours.wall.toFixed(2)} s (${r.ours.min.toFixed(2)}-${r.ours.max.toFixed(2)}) | ${peak(r.ours)} | ${seconds(r.helm)} | ${peak(r.helm)} | ${speedUp(r.helm, r.ours)} | ${seconds(r.perChart)} | ${peak(r.perChart)} | ${seconds(r.kustomize)} | ${peak(r.kustomize)} | ${speedUp(r.perChart, r.ours)} | ${speedUp(r.kustomize, r.ours)} | ${seconds(r.floor)} | ${peak(r.floor)} |`),
  ].join('\n');
  // One section per Node major: a run on Node 22 replaces that section and keeps the others,
  // so the page holds the verdict on the machine's Node and on Node 22 side by side.
  const major = process.versions.node.split('.')[0];
  const svg = `benchmark-node${major}.svg`;
  const cpu = os.cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const section = [
    `## Node ${process.version}`,
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, load average ${loadAtStart.map(l => l.toFixed(2)).join(' ')} at the start; median of up to ${RUNS} runs after one unmeasured run that builds the bundle and its code cache; at each size ours, Helm and the floor run in turns (a baseline run over ${SLOW_SECONDS} s is not repeated, one over ${BASELINE_LIMIT} s is stopped and shown as a lower bound).`,
    '',
    '| target | result | met |',
    '|---|---:|:---:|',
    ...targets.map(([t, ok, v]) => `| ${t} | ${v} | ${ok === undefined ? '-' : ok ? 'yes' : 'NO'} |`),
    '',
    '| default stack | wall | peak |',
    '|---|---:|---:|',
    `| \`npm run synth\` (esbuild transpile + compiled app) | ${synth.wall.toFixed(2)} s (${synth.min.toFixed(2)}-${synth.max.toFixed(2)}) | ${synth.peakMb.toFixed(0)} MB |`,
    `| \`npx ts-node main.ts\` (the cdk8s template's way) | ${tsNode.wall.toFixed(2)} s | ${tsNode.peakMb.toFixed(0)} MB |`,
    `| speed-up | ${(tsNode.wall / synth.wall).toFixed(1)}x | |`,
    '',
    table,
    '',
    `![wall time against tenants, Node ${process.version}](${svg})`,
    '',
  ].join('\n');
  const mdFile = path.join(root, 'docs', 'benchmark.md');
  const kept = fs.existsSync(mdFile) ? fs.readFileSync(mdFile, 'utf-8').split(/^(?=## Node v)/m).slice(1).filter(s => !s.startsWith(`## Node v${major}.`)) : [];
  const sections = [...kept.map(s => s.trimEnd() + '\n'), section].sort((a, b) => Number(a.slice(9).split('.')[0]) - Number(b.slice(9).split('.')[0]));
  const md = [
    '# Benchmark',
    '',
    'Written by `npm run bench`, one section per Node.js major version (`. scripts/use-node.sh 22 && npm run bench` writes the Node 22 one); how it measures: [testing.md](testing.md#benchmark), what each change bought: [performance.md](performance.md).',
    '',
    `Helm is \`helm template\` ${HELM_VERSION} over \`scripts/bench/helm-chart/\`, one chart with a \`range\` over tenants, built by the bench from the Go module proxy; at every size the bench checks that it writes exactly the objects our fleet writes (compared after parsing, type-strict, document and key order ignored).`,
    '',
    'The cdk8s floor is the same objects, already final, as plain `ApiObject`s in one Chart, rendered by cdk8s\'s `toJson` and written by our YAML writer, read from a JSON file: what any library that renders through cdk8s pays on this machine with no logic of its own. The targets are ratios to it and to Helm, measured in the same run, since absolute times move by 2x from one day to the next on one machine.',
    '',
    ...sections,
  ].join('\n');
  fs.writeFileSync(mdFile, md);
  fs.writeFileSync(path.join(root, 'docs', svg), await plot(rows, rows[rows.length - 1].objects / rows[rows.length - 1].n));

  process.stdout.write(`\nratios: npm run synth is ${(tsNode.wall / synth.wall).toFixed(1)}x faster than ts-node\n`);
  for (const r of rows) {
    process.stdout.write(`  N=${r.n}: Helm takes ${speedUp(r.helm, r.ours)} our time; speed-up ${speedUp(r.perChart, r.ours)} over one Chart per tenant, ${speedUp(r.kustomize, r.ours)} over kubectl kustomize (below 1x: slower); the cdk8s floor takes ${(r.floor.wall / r.ours.wall * 100).toFixed(0)} % of our time\n`);
  }
  process.stdout.write('\ntargets\n');
  for (const [t, ok, v] of targets) {
    process.stdout.write(`  ${ok === undefined ? 'skip' : ok ? 'met ' : 'MISS'}  ${t}: ${v}\n`);
  }
  process.stdout.write(`\nwrote docs/benchmark.md (the Node ${major} section) and docs/${svg}\n`);
  if (targets.some(([, ok]) => ok === false)) {
    process.exitCode = 1;
  }
}

main().catch(err => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
