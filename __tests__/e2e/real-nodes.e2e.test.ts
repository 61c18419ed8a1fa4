// End to end on real nodes: real kubelets run real containers of dist/'s images, kube-proxy
// serves Services and node ports, CoreDNS answers, kube-router enforces the NetworkPolicies,
// and a real browser votes. The manifests of dist/ are applied unchanged.
//
// By default the suite starts its own cluster: the control plane and two real nodes in
// network namespaces of their own (tools/nodes), images from a local registry of stand-ins
// (tools/images/README.md says what each does not model). With E2E_KUBECONFIG it runs against
// an existing cluster instead (kind, minikube), which pulls the stock images from Docker Hub;
// the two tests that need the machine's side of the nodes (kubelet restart, reading a scratch
// container's process) then say they were skipped.
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { chromium, Browser, BrowserContext } from 'playwright-core';
import { Cluster, startCluster } from '../../tools/control-plane/cluster';
import { REGISTRY } from '../../tools/nodes/nodes';
import { KubeObject, Kubectl, Pod, Service, readManifests, manifestFiles, isPodReady, until as untilWithin, nodeAddresses } from './support/kube';
import { LoadBalancerSupport, detectLoadBalancer, loadBalancerAddress } from './support/load-balancer';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.resolve(process.env.E2E_DIST_DIR ?? path.join(ROOT, 'dist'));
const EXISTING = process.env.E2E_KUBECONFIG;
const WAIT_MS = Number(process.env.E2E_WAIT_SECONDS ?? 240) * 1000;
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
/** How long a LoadBalancer Service may go without an external address before its test fails. */
const LB_WAIT_MS = Number(process.env.E2E_LB_WAIT_SECONDS ?? 60) * 1000;

/** The folders of dist/ applied, each as users apply it. The fleet (dozens of tenants) is left out. */
const APPLIED = [DIST, path.join(DIST, 'production'), path.join(DIST, 'examples')];
const APP_NS = 'voting-app';
const PROD_NS = 'voting-app-production';
const PROBE_NS = 'e2e-probe';

let cluster: Cluster | undefined;
let k: Kubectl;
let objects: KubeObject[] = [];
let nodeIps: string[] = [];
let browser: Browser | undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command where node IPs are reachable: the lan namespace of our cluster, or here. */
function fromLan(cmd: string, args: string[]): string {
  if (cluster) return cluster.inLan(cmd, args);
  return execFileSync(cmd, args, { encoding: 'utf8' });
}

function httpGet(url: string): { status: number; body: string } {
  const out = fromLan('curl', ['-s', '--max-time', '5', '-o', '-', '-w', '\n%{http_code}', url]);
  const at = out.lastIndexOf('\n');
  return { status: Number(out.slice(at + 1)), body: out.slice(0, at) };
}

/** Polls `fn` until it returns a value (support/kube.ts), by default for up to WAIT_MS. */
const until = <T>(what: string, fn: () => T | undefined | false, ms = WAIT_MS): Promise<T> => untilWithin(what, fn, ms);

/** Polls an async reading until it passes, failing with the last value read. */
async function expectSoon(read: () => Promise<string>, pass: (v: string) => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    last = await read();
    if (pass(last)) return;
    await sleep(500);
  }
  throw new Error(`the page still shows "${last}" after ${ms / 1000}s`);
}

/** A browser context, in the lan namespace on our cluster (one browser for the whole file). */
async function voter(): Promise<BrowserContext> {
  if (!browser) {
    browser = await chromium.launch({
      executablePath: browserCommand(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
  }
  return browser.newContext();
}

/** A single-node cluster of the user's (kind's default) cannot show what needs two nodes. */
function skipOnOneNode(): boolean {
  if (nodeIps.length >= 2) return false;
  process.stderr.write(`skipped: the cluster has ${nodeIps.length} node; this needs two\n`);
  return true;
}

function pods(ns: string, selector?: string): Pod[] {
  return k.list<Pod>('pods', ns).filter((p) => !selector || p.metadata.labels?.['app.kubernetes.io/name'] === selector);
}

function podOf(ns: string, name: string): Pod {
  const p = pods(ns, name).filter((x) => isPodReady(x) && !x.metadata.deletionTimestamp);
  if (!p.length) throw new Error(`no Ready pod of ${name} in ${ns}`);
  return p[0];
}

/**
 * `kubectl exec`: `out` is stdout and stderr, for messages and matching; `stdout` alone is what
 * a result is parsed from, since kubectl writes its own notices to stderr (e.g. `websocket.go:
 * Unknown stream id 1, discarding message` from its streaming client).
 */
function exec(ns: string, pod: string, cmd: string[], container?: string): { code: number; out: string; stdout: string } {
  const r = k.run(['exec', '-n', ns, pod, ...(container ? ['-c', container] : []), '--', ...cmd], { timeoutMs: 30000 });
  return { code: r.code ?? 1, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

/**
 * A TCP connection attempt from a pod, by bash's /dev/tcp (the Debian-based app images and
 * their stand-ins have bash): 'open', or 'closed' (refused, rejected or dropped; kube-router
 * rejects what a policy denies, so a denied port looks like one nobody listens on; each test
 * pairs a denial with a peer that the same port admits).
 */
function connect(ns: string, pod: string, host: string, port: number): 'open' | 'closed' {
  const r = exec(ns, pod, ['bash', '-c', `timeout 4 bash -c 'exec 3<>/dev/tcp/${host}/${port}' 2>&1; echo "rc=$?"`]);
  if (/rc=0/.test(r.out)) return 'open';
  if (/rc=124|refused|unreachable/i.test(r.out)) return 'closed';
  throw new Error(`connecting from ${ns}/${pod} to ${host}:${port}: ${r.out}`);
}

/** The same from the probe pod of another namespace, by curl (exit 7: refused, 28: timeout). */
function probeConnect(host: string, port: number): 'open' | 'closed' {
  const r = exec(PROBE_NS, 'probe', ['sh', '-c', `curl -s --max-time 4 telnet://${host}:${port} </dev/null; echo "rc=$?"`]);
  if (/rc=0/.test(r.out)) return 'open';
  if (/rc=(7|28)/.test(r.out)) return 'closed';
  throw new Error(`connecting from the probe pod to ${host}:${port}: ${r.out}`);
}

function tally(ns: string): Record<string, number> {
  const db = podOf(ns, 'db');
  const r = exec(ns, db.metadata.name, ['psql', '-U', 'postgres', '-tAc', 'SELECT vote, COUNT(id) FROM votes GROUP BY vote']);
  if (r.code !== 0) {
    if (/does not exist/.test(r.out)) return {};
    throw new Error(`reading the votes table: ${r.out}`);
  }
  return Object.fromEntries(r.stdout.trim().split('\n').filter(Boolean).map((l) => {
    const [vote, n] = l.split('|');
    return [vote, Number(n)];
  }));
}

function nodePort(ns: string, service: string): number {
  const svc = k.json<{ spec: { ports: { nodePort?: number }[] } }>(['get', 'service', service, '-n', ns]);
  const p = svc.spec.ports[0].nodePort;
  if (!p) throw new Error(`service ${ns}/${service} has no node port`);
  return p;
}

/** A vote as a browser posts it, by curl from where node IPs are reachable. */
function postVote(port: number, voter: string, vote: 'a' | 'b', node = nodeIps[0]): void {
  const r = fromLan('curl', ['-s', '--max-time', '10', '-o', '/dev/null', '-w', '%{http_code}', '-b', `voter_id=${voter}`,
    '--data', `vote=${vote}`, `http://${node}:${port}/`]);
  if (r.trim() !== '200') throw new Error(`POST vote=${vote} to ${node}:${port} answered ${r}`);
}

beforeAll(async () => {
  objects = readManifests(APPLIED.flatMap((d) => manifestFiles(d)));
  if (EXISTING) {
    k = new Kubectl(EXISTING);
  } else {
    cluster = await startCluster({ realNodes: 2, log: (line) => process.stderr.write(`[cluster] ${line}\n`) });
    k = new Kubectl(cluster.kubeconfig);
  }
  nodeIps = nodeAddresses(k);
}, 900_000);

afterAll(async () => {
  if (browser) await browser.close();
  if (EXISTING) {
    for (const d of APPLIED) k.run(['delete', '--ignore-not-found', '--wait=false', '-f', d]);
    k.run(['delete', 'namespace', PROBE_NS, '--ignore-not-found', '--wait=false']);
  }
  if (!cluster) return;
  const pids = Object.values(cluster.pids()).filter((p): p is number => p !== null);
  await cluster.stop();
  // Nothing of the cluster is left: no process, mount, namespace file, cgroup or folder.
  const alive = pids.filter((pid) => { try { process.kill(pid, 0); return true; } catch { return false; } });
  expect(alive).toEqual([]);
  expect(cluster.leftovers()).toEqual([]);
  expect(fs.existsSync(cluster.dir)).toBe(false);
}, 120_000);

describe('dist/ on real nodes', () => {
  test('the local registry serves every image dist/ names, under its exact name', () => {
    if (!cluster) {
      process.stderr.write('skipped on an existing cluster: it pulls the stock images\n');
      return;
    }
    const names = [...new Set(objects.flatMap((o) => (o as unknown as { spec?: { template?: { spec?: { containers?: { image: string }[] } } } })
      .spec?.template?.spec?.containers?.map((c) => c.image) ?? []))];
    expect(names.length).toBeGreaterThanOrEqual(8);
    const missing = names.filter((name) => {
      const ref = name.includes('/') ? name : `library/${name}`;
      const at = ref.lastIndexOf(':');
      const r = fromLan('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-I',
        '-H', 'Accept: application/vnd.oci.image.manifest.v1+json',
        `http://${REGISTRY}/v2/${ref.slice(0, at)}/manifests/${ref.slice(at + 1)}`]);
      return r.trim() !== '200';
    });
    expect(missing).toEqual([]);
  });

  test('kubectl apply -f dist/ (and production/, examples/) creates everything, unchanged', () => {
    for (const d of APPLIED) {
      const r = k.run(['apply', '-f', d], { timeoutMs: 120000 });
      // The namespaces warn on the restricted Pod Security level (the three app images run as
      // root, as their stock images do); anything else on stderr is a failure.
      const other = r.stderr.split('\n').filter((l) => l && !/^Warning: would violate PodSecurity "restricted/.test(l));
      expect(`${d}: ${other.join('\n')}`).toBe(`${d}: `);
      expect(r.code).toBe(0);
      if (d.endsWith('production')) {
        // The production profile reads an existing Secret; the README says to create it so.
        k.ok(['-n', PROD_NS, 'create', 'secret', 'generic', 'voting-app-db',
          '--from-literal=username=postgres', '--from-literal=password=postgres']);
      }
    }
    const probe = {
      apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: PROBE_NS } },
        {
          apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', namespace: PROBE_NS },
          spec: {
            containers: [{ name: 'probe', image: 'curlimages/curl:8.10.1', command: ['sleep', '86400'] }],
            terminationGracePeriodSeconds: 0,
          },
        },
      ],
    };
    k.ok(['apply', '-f', '-'], { input: JSON.stringify(probe) });
  });

  test('every pod becomes Ready through its real probes', async () => {
    const namespaces = [...new Set(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.namespace!))];
    await until('every pod of the stack Ready', () => {
      const notReady = namespaces.flatMap((ns) => pods(ns).filter((p) => !isPodReady(p)).map((p) => `${ns}/${p.metadata.name}`));
      const deployments = objects.filter((o) => o.kind === 'Deployment');
      const missing = deployments.filter((d) => {
        const live = k.json<{ status: { readyReplicas?: number }; spec: { replicas?: number } }>(['get', 'deployment', d.metadata.name, '-n', d.metadata.namespace!]);
        return (live.status.readyReplicas ?? 0) < (live.spec.replicas ?? 1);
      });
      if (notReady.length || missing.length) throw new Error(`not Ready: ${[...notReady, ...missing.map((d) => d.metadata.name)].join(', ')}`);
      return true;
    });
    await until('the probe pod Ready', () => isPodReady(k.json<Pod>(['get', 'pod', 'probe', '-n', PROBE_NS])));
  }, 600_000);

  test('each container runs with exactly the identity its manifest asks for', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const spec = (d as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
      const pod = podOf(d.metadata.namespace!, d.metadata.labels!['app.kubernetes.io/name']);
      for (const c of spec.containers) {
        const want = expectedIdentity(spec, c);
        const r = exec(d.metadata.namespace!, pod.metadata.name, ['cat', '/proc/1/status', '/proc/1/mountinfo'], c.name);
        if (r.code !== 0) {
          if (/executable file not found|no such file/i.test(r.out) && cluster) {
            // A scratch image (http-echo): no cat inside, so its process is read on the node.
            problems.push(...checkIdentity(`${d.metadata.name}/${c.name}`, hostProcView(pod, c.name), want));
            checked++;
            continue;
          }
          if (/executable file not found|no such file/i.test(r.out)) continue;
          problems.push(`${d.metadata.name}/${c.name}: ${r.out}`);
          continue;
        }
        problems.push(...checkIdentity(`${d.metadata.name}/${c.name}`, r.out, want));
        checked++;
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  test('pods on one node reach pods and Services on the other', () => {
    if (skipOnOneNode()) return;
    // From a pod with bash on each node to a CoreDNS pod (kube-system has no policy) on the
    // other node, by pod IP and through the kube-dns Service.
    const all = [APP_NS, PROD_NS].flatMap((ns) => pods(ns).filter(isPodReady)
      .filter((p) => ['vote', 'worker', 'result'].includes(p.metadata.labels?.['app.kubernetes.io/name'] ?? '')));
    const dns = k.list<Pod>('pods', 'kube-system').filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns' && isPodReady(p));
    const nodes = [...new Set(all.map((p) => p.spec.nodeName))];
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    for (const node of nodes) {
      const from = all.find((p) => p.spec.nodeName === node)!;
      const target = dns.find((p) => p.spec.nodeName !== node);
      if (!target) throw new Error(`no CoreDNS pod off ${node}`);
      expect(`${node} -> ${target.spec.nodeName}: ${connect(from.metadata.namespace!, from.metadata.name, target.status!.podIP!, 53)}`)
        .toBe(`${node} -> ${target.spec.nodeName}: open`);
      expect(connect(from.metadata.namespace!, from.metadata.name, 'kube-dns.kube-system', 53)).toBe('open');
    }
  });

  test('redis and db resolve from the pods that use them', () => {
    for (const ns of [APP_NS, PROD_NS]) {
      const ip = (svc: string) => k.json<{ spec: { clusterIP: string } }>(['get', 'service', svc, '-n', ns]).spec.clusterIP;
      for (const [from, name] of [['vote', 'redis'], ['worker', 'redis'], ['worker', 'db'], ['result', 'db']]) {
        const r = exec(ns, podOf(ns, from).metadata.name, ['getent', 'hosts', name]);
        expect(`${ns} ${from} -> ${name}: ${r.stdout.trim().split(/\s+/)[0]}`).toBe(`${ns} ${from} -> ${name}: ${ip(name)}`);
      }
    }
  });

  describe('the voting flow in a real browser, through node ports 31000 and 31001', () => {
    const voteUrl = () => `http://${nodeIps[0]}:31000/`;
    const resultUrl = () => `http://${nodeIps[nodeIps.length - 1]}:31001/`;

    async function vote(ctx: BrowserContext, option: 'a' | 'b'): Promise<void> {
      const page = await ctx.newPage();
      await page.goto(voteUrl());
      await page.click(`button#${option}`);
      await page.waitForLoadState('load');
      await page.close();
    }

    async function resultShows(total: number, percentA: string): Promise<void> {
      const ctx = await voter();
      const page = await ctx.newPage();
      await page.goto(resultUrl());
      const want = total === 1 ? '1 vote' : `${total} votes`;
      // Both the stock page and the stand-in show the total in #result and Cats' share in
      // .choice.cats .stat.
      const result = page.locator('#result');
      const cats = page.locator('.choice.cats .stat');
      await expectSoon(async () => `${(await result.textContent())?.trim()} / ${(await cats.textContent())?.trim()}`,
        (got) => got.includes(want) && got.endsWith(`/ ${percentA}`), 60000);
      await ctx.close();
    }

    let first: BrowserContext;
    let base = 0;

    test('a vote cast on the vote page shows up on the result page', async () => {
      const t = tally(APP_NS);
      base = (t.a ?? 0) + (t.b ?? 0);
      if (base) throw new Error(`the votes table of ${APP_NS} is not empty (${JSON.stringify(t)}): run on a fresh cluster`);
      first = await voter();
      await vote(first, 'a');
      await resultShows(1, '100.0%');
    }, 180_000);

    test('a second voter changes the tally', async () => {
      const second = await voter();
      await vote(second, 'b');
      await resultShows(2, '50.0%');
      await second.close();
    }, 180_000);

    test('a voter who changes their mind is counted once', async () => {
      await vote(first, 'b');
      await resultShows(2, '0.0%');
      expect(tally(APP_NS)).toEqual({ b: 2 });
      await first.close();
    }, 180_000);
  });

  describe('NetworkPolicies, as real connection attempts', () => {
    const pod = (name: string) => podOf(APP_NS, name).metadata.name;

    test('vote and a pod of another namespace cannot open db:5432; worker and result can', () => {
      expect(connect(APP_NS, pod('vote'), 'db', 5432)).toBe('closed');
      expect(probeConnect(`db.${APP_NS}`, 5432)).toBe('closed');
      expect(connect(APP_NS, pod('worker'), 'db', 5432)).toBe('open');
      expect(connect(APP_NS, pod('result'), 'db', 5432)).toBe('open');
    });

    test('only vote and worker reach redis', () => {
      expect(connect(APP_NS, pod('vote'), 'redis', 6379)).toBe('open');
      expect(connect(APP_NS, pod('worker'), 'redis', 6379)).toBe('open');
      expect(connect(APP_NS, pod('result'), 'redis', 6379)).toBe('closed');
      expect(probeConnect(`redis.${APP_NS}`, 6379)).toBe('closed');
    });

    test('nothing reaches worker, even on a port something listens on', async () => {
      // worker listens on nothing, so a listener is added beside it: an ephemeral container
      // of the vote image (python in the stock image and the stand-in) in the worker's pod.
      const worker = podOf(APP_NS, 'worker');
      k.ok(['debug', '-n', APP_NS, worker.metadata.name, '--image=dockersamples/examplevotingapp_vote:latest',
        '--container=listener', '--profile=baseline', '--', 'python3', '-m', 'http.server', '8080']);
      await until('the listener inside the worker pod', () => connect(APP_NS, worker.metadata.name, '127.0.0.1', 8080) === 'open', 120000);
      const ip = worker.status!.podIP!;
      expect(connect(APP_NS, pod('vote'), ip, 8080)).toBe('closed');
      expect(connect(APP_NS, pod('result'), ip, 8080)).toBe('closed');
      expect(probeConnect(ip, 8080)).toBe('closed');
      // The control: the same listener in a pod no policy selects is reached from vote.
      k.ok(['debug', '-n', PROBE_NS, 'probe', '--image=dockersamples/examplevotingapp_vote:latest',
        '--container=listener', '--profile=baseline', '--', 'python3', '-m', 'http.server', '8080']);
      const probeIp = k.json<Pod>(['get', 'pod', 'probe', '-n', PROBE_NS]).status!.podIP!;
      await until('the listener in the probe pod, reached from vote', () => connect(APP_NS, pod('vote'), probeIp, 8080) === 'open', 120000);
    }, 300_000);

    test('every pod still resolves names (the policies leave DNS alone)', () => {
      for (const name of ['vote', 'result', 'worker']) {
        const r = exec(APP_NS, pod(name), ['getent', 'hosts', 'kubernetes.default.svc.cluster.local']);
        expect(`${name}: ${r.code}`).toBe(`${name}: 0`);
      }
      for (const name of ['redis', 'db']) {
        const r = exec(APP_NS, pod(name), ['sh', '-c', 'nslookup kubernetes.default.svc.cluster.local >/dev/null && echo ok']);
        expect(`${name}: ${r.stdout.trim().split('\n').pop()}`).toBe(`${name}: ok`);
      }
    });
  });

  describe('faults', () => {
    test('the production db pod is deleted: votes cast before are still counted after it returns', async () => {
      const port = nodePort(PROD_NS, 'vote');
      postVote(port, 'prod-voter-1', 'a');
      postVote(port, 'prod-voter-2', 'b', nodeIps[nodeIps.length - 1]);
      await until('two production votes in db', () => JSON.stringify(tally(PROD_NS)) === '{"a":1,"b":1}');
      const old = podOf(PROD_NS, 'db').metadata.name;
      k.ok(['delete', 'pod', '-n', PROD_NS, old, '--wait=true']);
      await until('a new Ready db pod', () => podOf(PROD_NS, 'db').metadata.name !== old);
      await until('the votes after the restart', () => JSON.stringify(tally(PROD_NS)) === '{"a":1,"b":1}', 120000);
    }, 400_000);

    test('redis is deleted: new votes flow again once it is back', async () => {
      const port = nodePort(PROD_NS, 'vote');
      const old = podOf(PROD_NS, 'redis').metadata.name;
      k.ok(['delete', 'pod', '-n', PROD_NS, old, '--wait=true']);
      await until('a new Ready redis pod', () => podOf(PROD_NS, 'redis').metadata.name !== old);
      await until('a vote accepted after redis returned', () => { postVote(port, 'prod-voter-3', 'a'); return true; }, 60000);
      await until('the new vote counted', () => tally(PROD_NS).a === 2, 120000);
    }, 300_000);

    test("one node's kubelet and containerd restart: the app keeps answering", async () => {
      if (!cluster) {
        process.stderr.write('skipped on an existing cluster: restarting its kubelet is not ours to do\n');
        return;
      }
      // A restarted kubelet reports its running pods not ready until their readiness probes
      // pass again (kubernetes/kubernetes#100277), so a one-replica Service such as the dev
      // stack's vote has no endpoint for up to a probe period. What keeps answering is a
      // workload with a ready pod on the other node: the production vote, spread over both.
      const port = nodePort(PROD_NS, 'vote');
      const voteNodes = new Set(pods(PROD_NS, 'vote').filter(isPodReady).map((p) => p.spec.nodeName));
      expect(voteNodes.size).toBe(2);
      const failures: string[] = [];
      let answered = 0;
      const poll = async (until: number) => {
        while (Date.now() < until) {
          for (const ip of nodeIps) {
            try {
              const r = httpGet(`http://${ip}:${port}/`);
              if (r.status === 200) answered++;
              else failures.push(`${ip}:${port} answered ${r.status}`);
            } catch (err) {
              failures.push(`${ip}:${port}: ${(err as Error).message.split('\n').pop()}`);
            }
          }
          await sleep(500);
        }
      };
      const polling = poll(Date.now() + 25000);
      await cluster.restart(`kubelet-${cluster.nodes[0]}`, `containerd-${cluster.nodes[0]}`);
      await polling;
      expect(failures).toEqual([]);
      expect(answered).toBeGreaterThan(20);
      await until(`${cluster.nodes[0]} Ready again`, () => k.json<{ status: { conditions: { type: string; status: string }[] } }>(['get', 'node', cluster!.nodes[0]])
        .status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'));
      // No container restarted: the containers outlive their kubelet and containerd.
      const restarted = [APP_NS, PROD_NS].flatMap((ns) => pods(ns))
        .flatMap((p) => (p.status?.containerStatuses ?? []).filter((c) => c.restartCount > 0).map((c) => `${p.metadata.name}/${c.name}`));
      expect(restarted).toEqual([]);
    }, 300_000);

    test('pods spread over both nodes where the profile asks for it', () => {
      if (skipOnOneNode()) return;
      // Every production Deployment with a spread constraint and more than one replica.
      const spread = objects.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === PROD_NS
        && (o as unknown as { spec: { template: { spec: { topologySpreadConstraints?: unknown[] } } } }).spec.template.spec.topologySpreadConstraints?.length);
      const checked: string[] = [];
      for (const d of spread) {
        const ready = pods(PROD_NS, d.metadata.name).filter(isPodReady);
        if (ready.length < 2) continue;
        checked.push(d.metadata.name);
        expect(`${d.metadata.name}: ${new Set(ready.map((p) => p.spec.nodeName)).size} nodes`).toBe(`${d.metadata.name}: 2 nodes`);
      }
      expect(checked.length).toBeGreaterThanOrEqual(2);
    });

    test('a production vote pod is deleted: its preStop sleep runs inside it while vote answers, and no hook fails anywhere', async () => {
      // The drain pause the manifest asks for (docs/reliability.md): `sleep N` in the container, which needs a sleep in the image.
      const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === PROD_NS && o.metadata.name === 'vote') as unknown as
        { spec: { template: { spec: { containers: { lifecycle?: { preStop?: { exec?: { command: string[] } } } }[] } } } };
      const hook = (deployment.spec.template.spec.containers[0].lifecycle?.preStop?.exec?.command ?? []).join(' ');
      expect(hook).toMatch(/^sleep \d+$/);
      const port = nodePort(PROD_NS, 'vote');
      const old = podOf(PROD_NS, 'vote').metadata.name;
      k.ok(['delete', 'pod', '-n', PROD_NS, old, '--wait=false']);
      // While the pod terminates, the hook's sleep is one of its processes, and vote answers through both nodes.
      const failures: string[] = [];
      let sleeping = false;
      const deadline = Date.now() + 10000;
      while (Date.now() < deadline) {
        if (!sleeping) {
          const r = exec(PROD_NS, old, ['sh', '-c', 'for p in /proc/[0-9]*; do tr "\\0" " " < "$p/cmdline"; echo; done 2>/dev/null']);
          sleeping = r.out.split('\n').some((l) => l.trim() === hook);
        }
        for (const ip of nodeIps) {
          const r = httpGet(`http://${ip}:${port}/`);
          if (r.status !== 200) failures.push(`${ip}:${port} answered ${r.status || 'nothing'}`);
        }
        await sleep(500);
      }
      expect(sleeping).toBe(true);
      expect(failures).toEqual([]);
      await until(`${old} gone`, () => !pods(PROD_NS, 'vote').some((p) => p.metadata.name === old), 60000);
      await until('two Ready vote pods again', () => pods(PROD_NS, 'vote').filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp).length >= 2, 120000);
      // A hook whose program is missing fails with this event, and the container is stopped at once.
      const failed = k.json<{ items: { involvedObject: { namespace?: string; name: string }; message: string }[] }>(
        ['get', 'events', '-A', '--field-selector', 'reason=FailedPreStopHook']).items;
      expect(failed.map((e) => `${e.involvedObject.namespace}/${e.involvedObject.name}: ${e.message}`)).toEqual([]);
    }, 300_000);
  });

  describe('the examples do what their README rows say', () => {
    test("webapp's three nginx pods answer on node port 30080", async () => {
      const webapp = pods('example-webapp', 'webapp').filter(isPodReady);
      expect(webapp).toHaveLength(3);
      // The example asks for its replicas to spread across nodes.
      if (nodeIps.length >= 2) expect(new Set(webapp.map((p) => p.spec.nodeName)).size).toBe(2);
      for (const ip of nodeIps) {
        const r = httpGet(`http://${ip}:30080/`);
        expect(`${ip}: ${r.status} ${/Welcome to nginx/.test(r.body)}`).toBe(`${ip}: 200 true`);
      }
    });

    test("backend's client gets the echo text through backend-svc:9090", () => {
      const client = podOf('example-backend', 'client').metadata.name;
      const r = exec('example-backend', client, ['curl', '-fsS', '--max-time', '5', 'http://backend-svc:9090/']);
      expect(r.out.trim()).toBe('hello from backend');
    });

    test('the shop front end reaches its three Services', () => {
      const ns = 'example-shop';
      const front = pods(ns).find((p) => p.spec.containers.some((c) => c.image.startsWith('curlimages/curl')))!;
      for (const svc of ['user-service', 'cart-service', 'payment-service']) {
        const port = k.json<{ spec: { ports: { port: number }[] } }>(['get', 'service', svc, '-n', ns]).spec.ports[0].port;
        const r = exec(ns, front.metadata.name, ['curl', '-fsS', '--max-time', '5', `http://${svc}:${port}/`]);
        expect(`${svc}: ${r.code}`).toBe(`${svc}: 0`);
      }
    });

    test('db-svc resolves to its external name', () => {
      const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'db-svc')!;
      const r = exec(PROBE_NS, 'probe', ['nslookup', `db-svc.${svc.metadata.namespace}.svc.cluster.local`]);
      expect(r.out).toMatch(/canonical name = mydb\.amazonaws\.com/);
    });
  });

  // The production profile and the LoadBalancer example publish vote and result as Services of
  // type LoadBalancer. On our cluster MetalLB (layer 2, tools/nodes/metallb.js) gives them
  // addresses on the lan bridge; on a user's cluster whatever implementation it has, or none.
  describe('LoadBalancer Services, through their external addresses', () => {
    let support: LoadBalancerSupport = { available: false, why: 'not probed yet' };
    const addresses = new Map<string, string>();
    const lbServices = () => objects.filter((o): o is Service => o.kind === 'Service' && (o as Service).spec.type === 'LoadBalancer');

    beforeAll(async () => {
      support = cluster
        ? { available: true, why: 'MetalLB on the real nodes' }
        : await detectLoadBalancer(k, Number(process.env.E2E_LB_PROBE_SECONDS ?? 60) * 1000);
      if (!support.available) process.stderr.write(`LoadBalancer tests will be skipped: ${support.why}\n`);
    }, 180_000);

    const skipped = () => {
      if (support.available) return false;
      process.stderr.write(`skipped: ${support.why}\n`);
      return true;
    };

    test('every LoadBalancer Service applied gets an external address', async () => {
      if (skipped()) return;
      const services = lbServices();
      // production's vote and result, the LoadBalancer example's, the RDS example's
      expect(services.length).toBeGreaterThanOrEqual(4);
      const failures: string[] = [];
      for (const svc of services) {
        const ns = svc.metadata.namespace!;
        try {
          addresses.set(`${ns}/${svc.metadata.name}`, await loadBalancerAddress(k, ns, svc.metadata.name, LB_WAIT_MS));
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
      expect(failures).toEqual([]);
      expect(new Set(addresses.values()).size).toBe(services.length);
      if (cluster?.loadBalancerPool) {
        const last = (ip: string) => Number(ip.split('.').pop());
        const [lo, hi] = [last(cluster.loadBalancerPool.first), last(cluster.loadBalancerPool.last)];
        const outside = [...addresses].filter(([, ip]) => !ip.startsWith('10.250.0.') || last(ip) < lo || last(ip) > hi);
        expect(outside).toEqual([]);
      }
    }, 600_000);

    for (const ns of [PROD_NS, 'example-voting-app-lb']) {
      test(`${ns}: a vote posted to vote's address is counted, and result's address shows it in a browser`, async () => {
        if (skipped()) return;
        const vote = addresses.get(`${ns}/vote`);
        const result = addresses.get(`${ns}/result`);
        if (!vote || !result) throw new Error(`${ns}: vote or result has no LoadBalancer address (see the test above)`);
        const page = httpGet(`http://${vote}/`);
        expect(`${page.status} ${/<form/i.test(page.body)}`).toBe('200 true');
        const before = tally(ns);
        const total = (before.a ?? 0) + (before.b ?? 0) + 1;
        const r = fromLan('curl', ['-s', '--max-time', '10', '-o', '/dev/null', '-w', '%{http_code}',
          '-b', `voter_id=lb-voter-${ns}`, '--data', 'vote=b', `http://${vote}/`]);
        expect(`POST http://${vote}/: ${r.trim()}`).toBe(`POST http://${vote}/: 200`);
        await until(`the vote through ${vote} counted in ${ns}`, () => (before.b ?? 0) + 1 === tally(ns).b, 120_000);
        const ctx = await voter();
        const shown = await ctx.newPage();
        await shown.goto(`http://${result}/`);
        const want = total === 1 ? '1 vote' : `${total} votes`;
        await expectSoon(async () => (await shown.locator('#result').textContent())?.trim() ?? '', (got) => got.includes(want), 60000);
        await ctx.close();
      }, 300_000);
    }
  });

  // What the API server accepts and only the node judges: synth reports each as CVA113
  // (docs/problems.md), and the dry-run judge leaves them to this tier.
  describe('what only the node judges, as synth says it does', () => {
    const NS = 'e2e-node-judged';
    const pod = (name: string, spec: { securityContext?: object; container?: object }) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS },
      spec: {
        terminationGracePeriodSeconds: 0,
        securityContext: spec.securityContext,
        containers: [{ name: 'c', image: 'curlimages/curl:8.10.1', command: ['sleep', '86400'], ...spec.container }],
      },
    });
    type Waiting = { reason?: string; message?: string };
    const phaseOf = (name: string) => JSON.parse(k.ok(['get', 'pod', name, '-n', NS, '-o', 'json']).stdout) as Pod & { status: { containerStatuses?: { state?: { waiting?: Waiting } }[] } };
    const eventsOf = (name: string) => JSON.stringify(JSON.parse(k.ok(['get', 'events', '-n', NS, '--field-selector', `involvedObject.name=${name}`, '-o', 'json']).stdout).items.map((e: { reason: string; message: string }) => `${e.reason}: ${e.message}`));
    beforeAll(() => {
      const capabilities = (add: string[]) => ({ container: { securityContext: { capabilities: { drop: ['ALL'], add } } } });
      k.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        pod('known-capability', capabilities(['NET_BIND_SERVICE'])),
        pod('unknown-capabilities', capabilities(['NET_BIND', 'CAP_NET_ADMIN'])),
        pod('sysctl-in-range', { securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }] } }),
        pod('sysctl-out-of-range', { securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '40000' }] } }),
        pod('root-under-non-root', { securityContext: { runAsNonRoot: true, runAsUser: 0 } }),
        ...['data', '/data'].map(mountPath => {
          const p = pod(mountPath.startsWith('/') ? 'absolute-mount' : 'relative-mount', { container: { volumeMounts: [{ name: 'data', mountPath }] } });
          return { ...p, spec: { ...p.spec, volumes: [{ name: 'data', emptyDir: {} }] } };
        }),
      ] }) });
    });
    afterAll(() => {
      k.run(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
    });

    test('GIVEN a capability that does not exist (NET_BIND, CAP_NET_ADMIN) THEN nothing refuses it, and the container runs without it', async () => {
      // The bounding set shows what was added after drop ALL, whatever the user (effective caps are cleared for a non-root one).
      const bounding = (name: string) => /CapBnd:\s*([0-9a-f]+)/.exec(exec(NS, name, ['cat', '/proc/1/status']).out)?.[1];
      await until('both capability pods Ready', () => isPodReady(phaseOf('known-capability')) && isPodReady(phaseOf('unknown-capabilities')));
      expect(bounding('known-capability')).toBe('0000000000000400'); // CAP_NET_BIND_SERVICE is bit 10
      expect(bounding('unknown-capabilities')).toBe('0000000000000000');
    });

    test('GIVEN ip_unprivileged_port_start above ip_local_port_range THEN the kernel refuses it and the pod never starts; 80 starts', async () => {
      await until('the in-range sysctl pod Ready', () => isPodReady(phaseOf('sysctl-in-range')));
      const events = await until('the sandbox of the out-of-range pod to fail', () => {
        const e = eventsOf('sysctl-out-of-range');
        return /FailedCreatePodSandBox/.test(e) ? e : undefined;
      }, 60_000);
      expect(events).toMatch(/ip_unprivileged_port_start|invalid argument/);
      expect(isPodReady(phaseOf('sysctl-out-of-range'))).toBe(false);
    });

    test('GIVEN a relative mount path THEN the runtime mounts it under the root, as synth warns it does', async () => {
      await until('both mount pods Ready', () => isPodReady(phaseOf('absolute-mount')) && isPodReady(phaseOf('relative-mount')), 150_000);
      expect(exec(NS, 'relative-mount', ['sh', '-c', 'grep -c " /data " /proc/self/mountinfo']).out.trim()).toBe('1');
    });

    test('GIVEN runAsNonRoot with runAsUser 0 THEN the kubelet refuses to start the container', async () => {
      const waiting = await until('the container of the root pod to be refused', () => phaseOf('root-under-non-root').status.containerStatuses?.[0]?.state?.waiting, 60_000);
      expect(`${waiting.reason}: ${waiting.message}`).toMatch(/CreateContainerConfigError: .*non-root/);
    });
  });

  test('no container restarted during the run', () => {
    const restarted = objects.filter((o) => o.kind === 'Namespace').flatMap((ns) => pods(ns.metadata.name))
      .flatMap((p) => (p.status?.containerStatuses ?? []).filter((c) => c.restartCount > 0)
        .map((c) => `${p.metadata.namespace}/${p.metadata.name}/${c.name}: ${c.restartCount}`));
    expect(restarted).toEqual([]);
  });
});

// ------------------------------------------------------------------ identity helpers

interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[] };
  seccompProfile?: { type: string };
}
interface PodSpec {
  securityContext?: SecurityContext;
  containers: { name: string; securityContext?: SecurityContext }[];
}
interface Identity { uid: number; gid: number; readOnlyRoot: boolean; noCaps: boolean; noNewPrivs: boolean; seccomp: boolean }

/** What the manifest asks for; a uid it leaves unset is the image's (root for the three app images). */
function expectedIdentity(pod: PodSpec, c: { securityContext?: SecurityContext }): Identity {
  const sc = { ...pod.securityContext, ...c.securityContext };
  return {
    uid: sc.runAsUser ?? 0,
    gid: sc.runAsGroup ?? 0,
    readOnlyRoot: sc.readOnlyRootFilesystem === true,
    noCaps: (sc.capabilities?.drop ?? []).includes('ALL'),
    noNewPrivs: sc.allowPrivilegeEscalation === false,
    seccomp: sc.seccompProfile?.type === 'RuntimeDefault',
  };
}

/** Compares /proc/1/status and /proc/1/mountinfo of a container with what is wanted. */
function checkIdentity(what: string, text: string, want: Identity): string[] {
  const field = (name: string) => (text.match(new RegExp(`^${name}:\\s*(.*)$`, 'm')) ?? [])[1]?.trim() ?? '';
  const root = text.split('\n').map((l) => l.split(' ')).find((f) => f[4] === '/');
  const got: Identity = {
    uid: Number(field('Uid').split(/\s+/)[1]),
    gid: Number(field('Gid').split(/\s+/)[1]),
    readOnlyRoot: Boolean(root && root[5].split(',').includes('ro')),
    noCaps: /^0+$/.test(field('CapEff')) && /^0+$/.test(field('CapPrm')) && /^0+$/.test(field('CapBnd')),
    noNewPrivs: field('NoNewPrivs') === '1',
    seccomp: field('Seccomp') === '2',
  };
  return (Object.keys(want) as (keyof Identity)[]).filter((key) => got[key] !== want[key])
    .map((key) => `${what}: ${key} is ${got[key]}, the manifest asks for ${want[key]}`);
}

/** The process of a container as its node sees it (for images without a cat). */
function hostProcView(pod: Pod, container: string): string {
  const status = (pod.status?.containerStatuses ?? []).find((c) => c.name === container);
  const id = (status?.containerID ?? '').replace(/^containerd:\/\//, '');
  const pidsDir = '/sys/fs/cgroup/pids';
  const found = execFileSync('find', [pidsDir, '-type', 'd', '-name', id], { encoding: 'utf8' }).trim().split('\n')[0];
  if (!found) throw new Error(`no cgroup for container ${container} of ${pod.metadata.name}`);
  const pid = fs.readFileSync(path.join(found, 'cgroup.procs'), 'utf8').trim().split('\n')[0];
  return `${fs.readFileSync(`/proc/${pid}/status`, 'utf8')}\n${fs.readFileSync(`/proc/${pid}/mountinfo`, 'utf8')}`;
}

/** Chromium, started where node IPs are reachable: a wrapper entering the lan namespace. */
function browserCommand(): string {
  if (!cluster?.netns) return CHROMIUM;
  // In the cluster's folder, which stop() removes (jest's sandbox runs no exit handler of ours).
  const wrapper = path.join(cluster.dir, 'chromium.sh');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec nsenter --net=${cluster.netns} -- ${CHROMIUM} "$@"\n`, { mode: 0o755 });
  return wrapper;
}
