// `npm run cluster` with real nodes leaves nothing on the machine: not after Ctrl-C, and not
// when its process is killed outright (the watchdog tears down). What is checked: the
// cluster's folder, every mount under it, its cgroups, and every process that names it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, ChildProcess, execFileSync } from 'child_process';
import { Host } from '../../tools/nodes/host';
import { binDir, startCluster } from '../../tools/control-plane/cluster';
import { Kubectl } from './support/kube';

const ROOT = path.resolve(__dirname, '..', '..');
const lock = path.join(os.tmpdir(), `cva-lifecycle-${process.pid}.lock`);

interface Started { proc: ChildProcess; dir: string; kubeconfig: string; exited: Promise<number | null> }

/** Starts `npm run cluster`'s command and resolves once it prints the KUBECONFIG line. */
function startCommand(): Promise<Started> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'tools', 'control-plane', 'cluster.js')], {
    env: { ...process.env, CDK8S_VOTING_CLUSTER_LOCK: lock }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  proc.stderr!.on('data', (c) => { err += c; });
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (c) => {
      out += c;
      const kc = out.match(/export KUBECONFIG=(\S+)/);
      const logs = out.match(/^Logs: (\S+)\/logs$/m);
      if (kc && logs) resolve({ proc, dir: logs[1], kubeconfig: kc[1], exited });
    });
    void exited.then((code) => reject(new Error(`npm run cluster exited ${code} before it was up:\n${err.slice(-3000)}`)));
  });
}

/** What of the cluster in `dir` is still on the machine. */
function leftovers(dir: string): string[] {
  const left = new Host(dir, Host.idFor(dir), 2).leftovers();
  if (fs.existsSync(dir)) left.push(`folder ${dir}`);
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  for (const line of ps.split('\n')) if (line.includes(dir) && !line.includes('ps -eo')) left.push(`process ${line.trim()}`);
  return left;
}

async function eventually(check: () => string[], ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  let left = check();
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    left = check();
  }
  return left;
}

afterAll(() => fs.rmSync(lock, { force: true }));

describe('a cluster that fails to start leaves nothing behind', () => {
  test('a kubelet that exits at once: startCluster rejects and removes what it made', async () => {
    // GIVEN the real binaries, except a kubelet that fails
    const real = binDir();
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'cva-bin-'));
    for (const f of fs.readdirSync(real)) fs.symlinkSync(path.join(real, f), path.join(bin, f));
    fs.rmSync(path.join(bin, 'kubelet'));
    fs.writeFileSync(path.join(bin, 'kubelet'), '#!/bin/sh\necho "kubelet: refusing to start" >&2\nexit 1\n', { mode: 0o755 });
    let dir = '';
    try {
      // WHEN the cluster starts
      const started = startCluster({ realNodes: 2, binDir: bin, log: (line) => {
        const m = line.match(/^temporary folder (\S+)/);
        if (m) dir = m[1];
      } });
      // THEN it fails, naming the kubelet, and nothing of it is left
      await expect(started).rejects.toThrow(/kubelet-node-1 exited/);
      expect(dir).not.toBe('');
      expect(await eventually(() => leftovers(dir), 5000)).toEqual([]);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('npm run cluster (real nodes) leaves nothing behind', () => {
  test('after Ctrl-C', async () => {
    // GIVEN a running cluster with two Ready nodes
    const c = await startCommand();
    const nodes = new Kubectl(c.kubeconfig).list<{ metadata: { name: string } }>('nodes');
    expect(nodes.map((n) => n.metadata.name)).toEqual(['node-1', 'node-2']);
    expect(leftovers(c.dir).some((l) => l.startsWith('cgroup'))).toBe(true);
    // WHEN the user presses Ctrl-C
    c.proc.kill('SIGINT');
    // THEN it exits 0 and nothing of it is left
    expect(await c.exited).toBe(0);
    expect(await eventually(() => leftovers(c.dir), 5000)).toEqual([]);
  }, 300_000);

  test('after its process is killed (kill -9): the watchdog removes everything', async () => {
    // GIVEN a running cluster
    const c = await startCommand();
    // WHEN its process dies without stopping anything
    c.proc.kill('SIGKILL');
    await c.exited;
    // THEN the watchdog kills every component, container and shim and removes the rest
    expect(await eventually(() => leftovers(c.dir), 60000)).toEqual([]);
  }, 300_000);
});
