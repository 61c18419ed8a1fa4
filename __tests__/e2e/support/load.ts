// Helpers of the load tier (load.e2e.test.ts): streams of requests made by vegeta
// (github.com/tsenart/vegeta, built by tools/load/build.sh from the Go module proxy), their
// figures, and the record the tier writes into docs/reliability.md.
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Where a stream's requests go: one Service through one address. */
export interface Endpoint {
  /** The Service: `vote` or `result`. */
  service: string;
  /** How it is reached, for the figures: `node port 10.250.0.11`, `LoadBalancer 10.250.0.200`. */
  via: string;
  /** The URL of its page, e.g. http://10.250.0.11:31000/. */
  url: string;
}

/** One request of vegeta's results (`vegeta encode -to json`). */
export interface Hit {
  code: number;
  /** Nanoseconds. */
  latency: number;
  error: string;
  method: string;
  url: string;
  timestamp: string;
}

interface VegetaTarget {
  method: string;
  url: string;
  header?: Record<string, string[]>;
  body?: string;
}

/** A running stream; stop() ends it and returns every request it made. */
export interface Stream {
  readonly name: string;
  stop(): Promise<Hit[]>;
}

export interface StreamOptions {
  /** The vegeta binary. */
  vegeta: string;
  /** A folder for the targets and results (the caller removes it). */
  dir: string;
  /** A network namespace file to run vegeta in (where node IPs are reachable), or none. */
  netns?: string;
  /** Requests per second, over all targets in turn. */
  rate: number;
  /** The bound of the stream, whatever happens: it stops by itself after this. */
  maxSeconds: number;
  /** A request that has no answer after this fails. */
  timeoutSeconds: number;
}

/** vegeta's gob results to our hits. */
function readHits(vegeta: string, file: string): Hit[] {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return [];
  const out = execFileSync(vegeta, ['encode', '-to', 'json', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Hit);
}

/**
 * Starts vegeta at a constant rate over the targets (in turn, each a new connection: with
 * keep-alive a client stays on the pod its connection reached, and a new connection is what
 * exercises the Service's endpoints each time).
 */
function startVegeta(name: string, targets: VegetaTarget[], o: StreamOptions): Stream {
  const targetsFile = path.join(o.dir, `${name}.targets.json`);
  const resultsFile = path.join(o.dir, `${name}.bin`);
  fs.writeFileSync(targetsFile, targets.map((t) => JSON.stringify(t)).join('\n') + '\n');
  const args = ['attack', '-format=json', `-targets=${targetsFile}`, `-rate=${o.rate}/1s`, `-duration=${o.maxSeconds}s`,
    `-timeout=${o.timeoutSeconds}s`, '-keepalive=false', '-max-body=0', '-redirects=0', `-output=${resultsFile}`];
  // nsenter execs vegeta in the namespace (no fork), so the child's pid is vegeta's.
  const argv = o.netns ? ['nsenter', `--net=${o.netns}`, '--', o.vegeta, ...args] : [o.vegeta, ...args];
  const proc: ChildProcess = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(proc);
  let stderr = '';
  proc.stderr!.on('data', (c) => { stderr += c; });
  const exited = new Promise<number | string | null>((resolve) => proc.on('exit', (code, signal) => {
    running.delete(proc);
    resolve(code ?? signal);
  }));
  return {
    name,
    async stop() {
      // vegeta stops its attack on SIGINT and still writes every result it has.
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGINT');
      const code = await exited;
      if (code !== 0) throw new Error(`vegeta (${name}) exited ${code}: ${stderr.slice(-2000)}`);
      return readHits(o.vegeta, resultsFile);
    },
  };
}

/** vegeta processes still running (killed by stopAll when a test fails half-way). */
const running = new Set<ChildProcess>();

export function killAllStreams(): void {
  for (const p of running) p.kill('SIGKILL');
}

/** GETs of each endpoint's page, in turn. */
export function startGets(name: string, endpoints: Endpoint[], o: StreamOptions): Stream {
  return startVegeta(name, endpoints.map((e) => ({ method: 'GET', url: e.url })), o);
}

/**
 * Votes as a browser posts them, each from a voter of its own (its own `voter_id` cookie, since
 * the table keeps one row per voter), over the vote endpoints in turn. The voter is also in the
 * query string (which vote ignores), so that each result names its voter. As many targets as
 * the stream can send: none is sent twice.
 */
export function startVotes(name: string, endpoints: Endpoint[], o: StreamOptions): Stream {
  const count = Math.ceil(o.rate * o.maxSeconds) + 1;
  const targets: VegetaTarget[] = [];
  for (let i = 0; i < count; i++) {
    const voter = `${name}-${i}`;
    const e = endpoints[i % endpoints.length];
    targets.push({
      method: 'POST',
      url: `${e.url}?voter=${voter}`,
      header: { 'Cookie': [`voter_id=${voter}`], 'Content-Type': ['application/x-www-form-urlencoded'] },
      body: Buffer.from(`vote=${i % 2 ? 'b' : 'a'}`).toString('base64'),
    });
  }
  return startVegeta(name, targets, o);
}

/** The voter of a vote's result. */
export function voterOf(hit: Hit): string {
  return new URL(hit.url).searchParams.get('voter') ?? '';
}

export function succeeded(hit: Hit): boolean {
  return hit.code >= 200 && hit.code < 300 && !hit.error;
}

/** A short reason for a failure: the HTTP status, or the end of Go's error. */
export function reason(hit: Hit): string {
  if (hit.code && (hit.code < 200 || hit.code >= 300)) return `HTTP ${hit.code}`;
  const e = hit.error;
  if (/timeout|deadline exceeded/i.test(e)) return 'timed out';
  const m = e.match(/: ([^:]+)$/);
  return (m ? m[1] : e).trim();
}

/** The failures of some hits, counted by method, endpoint and reason (`GET vote via node port …: timed out`). */
export function failureCounts(hits: Hit[], endpoints: Endpoint[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const h of hits.filter((x) => !succeeded(x))) {
    const e = endpoints.find((x) => h.url.startsWith(x.url));
    const key = `${h.method} ${e ? `${e.service} via ${e.via}` : h.url}: ${reason(h)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The 99th percentile of the latencies, in milliseconds (nearest rank). */
export function p99Ms(hits: Hit[]): number {
  if (!hits.length) return 0;
  const sorted = hits.map((h) => h.latency).sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] / 1e6);
}

/** What one scenario measured. */
export interface Figures {
  scenario: string;
  /** The goal, in words, or that the scenario reports figures only. */
  goal: string;
  /** Whether the goal was met; undefined for figures only. */
  met?: boolean;
  seconds: number;
  gets: { sent: number; failed: number; p99Ms: number };
  votes?: { sent: number; failed: number; p99Ms: number; accepted: number; counted: number; lost: number };
  /** What the streams went through (`vote via node port 10.250.0.11`, …). */
  via: string[];
  /** The machine's 1-minute load average at the start and at the end. */
  load: [number, number];
  /** Failures by endpoint and reason, and anything else worth a line. */
  notes: string[];
}

export function describeMachine(): string {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${gib} GiB, Linux ${os.release()}, Node.js ${process.version}`;
}

function commitOf(root: string): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'lib', 'dist', '__tests__/e2e', 'tools'], { cwd: root, encoding: 'utf8' }).trim();
    return dirty ? `${sha} with uncommitted changes` : sha;
  } catch {
    return 'unknown';
  }
}

export const BEGIN = '<!-- load-tier figures: begin (written by __tests__/e2e/load.e2e.test.ts with LOAD_RECORD=1) -->';
export const END = '<!-- load-tier figures: end -->';

/** The dated record of a run, as the Markdown between the markers. */
export function renderRecord(figures: Figures[], o: { root: string; rates: string; date?: Date }): string {
  const date = (o.date ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  const cell = (n: number | undefined) => (n === undefined ? '-' : String(n));
  const rows = figures.map((f) => `| ${f.scenario} | ${f.seconds} | ${f.gets.sent} | ${f.gets.failed} | ${f.gets.p99Ms} | ` +
    `${cell(f.votes?.sent)} | ${cell(f.votes?.failed)} | ${cell(f.votes?.p99Ms)} | ${cell(f.votes?.accepted)} | ${cell(f.votes?.counted)} | ` +
    `${cell(f.votes?.lost)} | ${f.load[0].toFixed(1)} → ${f.load[1].toFixed(1)} | ${f.goal}${f.met === undefined ? '' : f.met ? ': met' : ': **not met**'} |`);
  const notes = figures.filter((f) => f.notes.length).map((f) => `- ${f.scenario}: ${f.notes.join('; ')}`);
  const via = [...new Set(figures.flatMap((f) => f.via))];
  const lb = via.filter((v) => / via LoadBalancer /.test(v));
  return [
    '## Under load on the real nodes',
    '',
    `Recorded ${date} by the load tier (\`LOAD_RECORD=1 npx jest --config jest.e2e.config.js load.e2e\`) at commit`,
    `${commitOf(o.root)}, on ${describeMachine()}, with other work on the machine (the load column`,
    'is its 1-minute load average at the start and end of each scenario). `dist/production/` on the two',
    'real nodes of [real-nodes.md](real-nodes.md), with the stand-in images; vegeta v12.13.0 in the',
    `cluster's lan network namespace, ${o.rates}, each request a new connection, through`,
    `${via.join(', ')}${lb.length ? '' : ' (the Services had no LoadBalancer address)'}.`,
    '',
    '| scenario | s | GETs | failed | p99 ms | votes | failed | p99 ms | accepted | counted | lost | load | goal |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- | --- |',
    ...rows,
    '',
    'A vote is accepted when vote answers it with success, from a voter of its own; counted when',
    "that voter's row is in postgres once the worker has caught up; lost when accepted and never",
    'counted. vote answers an error (HTTP 500) for a vote it could not queue while redis had no',
    'ready pod: not accepted, so not lost. Figures, not goals: CI asserts the goals, and this',
    'record is not drift-checked.',
    '',
    ...(notes.length ? ['Failures and notes:', '', ...notes, ''] : []),
  ].join('\n');
}

/**
 * Writes the record into docs/reliability.md between the markers, keeping everything else of
 * the file (other sections are written by hand); creates the file or the section if missing.
 */
export function writeRecord(file: string, record: string): void {
  const block = `${BEGIN}\n${record}\n${END}`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Reliability\n';
  const at = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (at >= 0 && end > at) text = text.slice(0, at) + block + text.slice(end + END.length);
  else text = `${text.replace(/\n*$/, '')}\n\n${block}\n`;
  fs.writeFileSync(file, text);
}
