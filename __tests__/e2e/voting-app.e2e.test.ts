// End to end against a real control plane (etcd, kube-apiserver, controller-manager,
// scheduler) with kwok's simulated nodes: the synthesized manifests in dist/ are applied with
// kubectl, and the cluster's own controllers decide whether each Service finds its pods.
// Run with `npm run test:e2e` (builds the binaries once, then runs this file).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { Cluster, startCluster } from '../../tools/control-plane/cluster';
import { detectLoadBalancer, loadBalancerAddress } from './support/load-balancer';
import {
  CheckFailure,
  KubeObject,
  Kubectl,
  Pod,
  Service,
  checkApplyOutput,
  deploymentProblems,
  describeRef,
  diagnosingStep,
  isPodReady,
  manifestFiles,
  manifestSubfolders,
  matchesSelector,
  readManifests,
  serviceEndpointProblems,
  waitForNoProblems,
  Deployment,
} from './support/kube';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.resolve(process.env.E2E_DIST_DIR ?? path.join(ROOT, 'dist'));
/** Bound of every wait for the cluster to converge. */
const WAIT_MS = Number(process.env.E2E_WAIT_SECONDS ?? 120) * 1000;
/** The only values the suite hard-codes: the node ports users are told to open. */
const EXPECTED_NODE_PORTS: Record<string, number> = { vote: 31000, result: 31001 };
const BROKEN_NAMESPACE = 'voting-app-broken-selector';

let cluster: Cluster | undefined;
let k: Kubectl;
let stack: KubeObject[] = [];
const extraApplied: KubeObject[] = [];

const ofKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);

/** Runs a step; on failure prints which object and condition failed, with describe and logs. */
const step = diagnosingStep(() => ({ k, logTails: cluster && ((n: number) => cluster!.logTails(n)) }));

/** Fails with the problems; `kubectl describe` is shown for the objects they name. */
function expectNoProblems(what: string, problems: string[], objects: KubeObject[] = []): void {
  if (!problems.length) return;
  const named = objects.map(describeRef).filter((ref) => problems.some((p) => p.startsWith(`${ref}:`)));
  throw new CheckFailure(`${what}:\n  - ${problems.join('\n  - ')}`, named);
}

beforeAll(async () => {
  if (!fs.existsSync(DIST) || manifestFiles(DIST).length === 0) {
    throw new Error(`no manifests in ${DIST}: run \`npm run synth\` first`);
  }
  stack = readManifests(manifestFiles(DIST));
  cluster = await startCluster({ nodes: 3, log: (line) => process.stderr.write(`[cluster] ${line}\n`) });
  k = new Kubectl(cluster.kubeconfig);
}, 300_000);

afterAll(async () => {
  if (!cluster) return;
  const pids = Object.values(cluster.pids()).filter((p): p is number => p !== null);
  await cluster.stop();
  const alive = pids.filter((pid) => {
    try { process.kill(pid, 0); return true; } catch { return false; }
  });
  if (alive.length) throw new Error(`control plane processes left behind: ${alive.join(' ')}`);
  expect(fs.existsSync(cluster.dir)).toBe(false);
}, 120_000);

describe('the synthesized stack on a real control plane', () => {
  test('kubectl talks to the local API server without a version skew warning', () => step('kubectl version', () => {
    const r = k.ok(['version', '-o', 'json']);
    const v = JSON.parse(r.stdout) as { serverVersion?: { gitVersion?: string } };
    expect(v.serverVersion?.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect(r.stderr).not.toMatch(/skew|WARNING/i);
    const nodes = k.list<KubeObject>('nodes');
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(cluster!.nodes);
  }));

  test('kubectl apply -f dist/ creates every object, with strict field validation', () => step('apply', () => {
    // (No server dry run first: it cannot create objects in the Namespace the same apply creates.)
    const r = k.ok(['apply', '--validate=strict', '-f', DIST]);
    process.stderr.write(`$ kubectl apply -f ${path.relative(ROOT, DIST) || DIST}\n${r.stdout}${r.stderr}`);
    expectNoProblems('kubectl apply -f dist/', checkApplyOutput(r.stdout, stack, 'created'), stack);
    expect(r.stderr).not.toMatch(/error/i);
  }));

  test('every Deployment becomes Available', () => step('deployments available', async () => {
    const deployments = ofKind(stack, 'Deployment');
    expect(deployments.length).toBeGreaterThan(0);
    await waitForNoProblems('every Deployment to be Available',
      () => ({ problems: deploymentProblems(k, deployments), objects: deployments.map(describeRef) }), WAIT_MS);
    // The pods really are scheduled on the simulated nodes and have IPs.
    for (const d of deployments) {
      const live = k.json<Deployment>(['get', 'deployment', d.metadata.name, '-n', d.metadata.namespace ?? 'default']);
      const pods = k.list<Pod>('pods', d.metadata.namespace).filter((p) => matchesSelector(p.metadata.labels, live.spec.selector));
      expect(pods.filter(isPodReady).length).toBe(live.spec.replicas ?? 1);
      for (const p of pods) expect(cluster!.nodes).toContain(p.spec.nodeName);
    }
  }));

  test('every Service has a ClusterIP; vote and result have node ports 31000 and 31001', () => step('services', () => {
    const services = ofKind(stack, 'Service');
    expect(services.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const s of services) {
      const live = k.json<Service>(['get', 'service', s.metadata.name, '-n', s.metadata.namespace ?? 'default']);
      if (live.spec.type !== 'ExternalName' && !/^10\.96\.\d+\.\d+$/.test(live.spec.clusterIP ?? '')) {
        problems.push(`${describeRef(s)}: clusterIP is ${live.spec.clusterIP}, not an address of 10.96.0.0/16`);
      }
      const wantPort = EXPECTED_NODE_PORTS[s.metadata.name];
      const nodePorts = (live.spec.ports ?? []).map((p) => p.nodePort).filter((p) => p !== undefined);
      if (wantPort !== undefined && !nodePorts.includes(wantPort)) {
        problems.push(`${describeRef(s)}: node ports ${JSON.stringify(nodePorts)}, expected ${wantPort} (type ${live.spec.type})`);
      }
    }
    for (const name of Object.keys(EXPECTED_NODE_PORTS)) {
      if (!services.some((s) => s.metadata.name === name)) problems.push(`service/${name} is not in dist/`);
    }
    expectNoProblems('Services', problems, services);
  }));

  test('the EndpointSlices of every Service list exactly the pods of its component', () => step('endpoints', async () => {
    const services = ofKind(stack, 'Service');
    let checked: string[] = [];
    await waitForNoProblems('EndpointSlices to list the pods of each component', () => {
      const r = serviceEndpointProblems(k, services);
      checked = r.checked;
      return r;
    }, WAIT_MS);
    // redis, db, vote and result in the voting app; whatever Services the stack has in general.
    expect(checked.length).toBe(services.filter((s) => (s as Service).spec.type !== 'ExternalName').length);
  }));

  test('re-applying changes nothing and kubectl diff shows nothing', () => step('idempotent', () => {
    const r = k.ok(['apply', '-f', DIST]);
    const problems = checkApplyOutput(r.stdout, stack, 'unchanged').map((p) => {
      // Say what kubectl keeps patching: usually a zero value or empty list the server drops.
      const o = stack.find((x) => p.startsWith(`${describeRef(x)}: expected`) && p.includes(' configured"'));
      return o ? `${p}; its patch: ${applyPatchOf(o)}` : p;
    });
    const diff = k.run(['diff', '-f', DIST]);
    if (diff.code !== 0 || diff.stdout.trim() !== '') {
      problems.push(`kubectl diff -f dist/ exited ${diff.code} (0 means no difference):\n${diff.stdout}${diff.stderr}`);
    }
    expectNoProblems('second kubectl apply -f dist/ and kubectl diff (an object "configured" again and again never settles)', problems, stack);
  }));

  test('a deleted pod of each component is replaced and the endpoints follow it', () => step('pod churn', async () => {
    const deployments = ofKind(stack, 'Deployment');
    const before = new Map<string, Pod>();
    for (const d of deployments) {
      const ns = d.metadata.namespace ?? 'default';
      const live = k.json<Deployment>(['get', 'deployment', d.metadata.name, '-n', ns]);
      const pod = k.list<Pod>('pods', ns).find((p) => matchesSelector(p.metadata.labels, live.spec.selector) && isPodReady(p));
      if (!pod) throw new CheckFailure(`${describeRef(d)} has no ready pod to delete`, [describeRef(d)]);
      before.set(`${ns}/${d.metadata.name}`, pod);
    }
    for (const pod of before.values()) {
      k.ok(['delete', 'pod', pod.metadata.name, '-n', pod.metadata.namespace ?? 'default', '--wait=false']);
    }
    const oldUids = new Set([...before.values()].map((p) => p.metadata.uid));
    await waitForNoProblems('each deleted pod to be replaced', () => {
      const problems = deploymentProblems(k, deployments);
      for (const [key, old] of before) {
        const [ns] = key.split('/');
        const pods = k.list<Pod>('pods', ns);
        if (pods.some((p) => p.metadata.uid === old.metadata.uid)) problems.push(`pod ${old.metadata.name} (${key}) still exists`);
        const d = k.json<Deployment>(['get', 'deployment', key.split('/')[1], '-n', ns]);
        const fresh = pods.filter((p) => matchesSelector(p.metadata.labels, d.spec.selector) && isPodReady(p) && !oldUids.has(p.metadata.uid));
        if (fresh.length === 0) problems.push(`deployment ${key} has no new ready pod yet`);
      }
      return { problems, objects: deployments.map(describeRef) };
    }, WAIT_MS);
    await waitForNoProblems('EndpointSlices to follow the new pods', () => {
      const r = serviceEndpointProblems(k, ofKind(stack, 'Service'));
      // The endpoints check compares with the live pods; make sure none of the old ones is listed.
      for (const s of ofKind(stack, 'Service')) {
        const ns = s.metadata.namespace ?? 'default';
        const out = k.ok(['get', 'endpointslices', '-n', ns, '-l', `kubernetes.io/service-name=${s.metadata.name}`,
          '-o', 'jsonpath={range .items[*].endpoints[*]}{.targetRef.uid}{"\\n"}{end}']).stdout;
        for (const uid of out.split('\n').filter(Boolean)) {
          if (oldUids.has(uid)) r.problems.push(`${describeRef(s)}: still lists deleted pod uid ${uid}`);
        }
      }
      return r;
    }, WAIT_MS);
  }));

  test('every other folder of dist/ passes a strict server dry run, then applies with no node port conflict', () => step('subfolders', async () => {
    const folders = manifestSubfolders(DIST);
    if (folders.length === 0) {
      process.stderr.write('dist/ has no subfolders with manifests (profiles, examples, fleets): nothing more to apply\n');
    }
    const byFolder = new Map<string, { files: string[]; objects: KubeObject[] }>();
    for (const folder of folders) {
      const rel = `dist/${path.relative(DIST, folder)}`;
      const files = manifestFiles(folder, true);
      const objects = readManifests(files);
      byFolder.set(folder, { files, objects });
      // A server dry run needs the namespaces to exist: dry-run them, create them, then dry-run all.
      const namespaces = ofKind(objects, 'Namespace');
      if (namespaces.length) {
        const nsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-ns-')), 'namespaces.yaml');
        fs.writeFileSync(nsFile, namespaces.map((o) => stringify(o)).join('---\n'));
        const nsDry = k.ok(['apply', '--dry-run=server', '--validate=strict', '-f', nsFile]);
        expectNoProblems(`server dry run of the namespaces of ${rel}`, checkApplyOutput(nsDry.stdout, namespaces, 'created (server dry run)'));
        k.ok(['apply', '--validate=strict', '-f', nsFile]);
        fs.rmSync(path.dirname(nsFile), { recursive: true, force: true });
      }
      const dry = k.ok(['apply', '--dry-run=server', '--validate=strict', ...files.flatMap((f) => ['-f', f])]);
      expectNoProblems(`server dry run of ${rel}`, checkApplyOutput(dry.stdout, objects,
        (o) => (o.kind === 'Namespace' ? 'unchanged (server dry run)' : 'created (server dry run)')));
      process.stderr.write(`server dry run of ${rel}: ${objects.length} objects accepted\n`);
    }
    for (const [folder, { files, objects }] of byFolder) {
      provisionVolumes(objects);
      const r = k.ok(['apply', '--validate=strict', ...files.flatMap((f) => ['-f', f])]);
      expectNoProblems(`kubectl apply of dist/${path.relative(DIST, folder)}`, checkApplyOutput(r.stdout, objects,
        (o) => (o.kind === 'Namespace' ? 'unchanged' : 'created')), objects);
      extraApplied.push(...objects);
    }
    // Every node port declared anywhere is allocated as declared, and no two Services share one.
    const declared = [...stack, ...extraApplied].filter((o) => o.kind === 'Service') as Service[];
    const live = k.list<Service>('services');
    const owners = new Map<number, string>();
    const problems: string[] = [];
    for (const s of live) {
      for (const p of s.spec.ports ?? []) {
        if (p.nodePort === undefined) continue;
        const who = `${s.metadata.namespace}/${s.metadata.name}`;
        if (owners.has(p.nodePort)) problems.push(`node port ${p.nodePort} used by ${owners.get(p.nodePort)} and ${who}`);
        owners.set(p.nodePort, who);
      }
    }
    let declaredPorts = 0;
    for (const s of declared) {
      const ns = s.metadata.namespace ?? 'default';
      const l = live.find((x) => x.metadata.name === s.metadata.name && x.metadata.namespace === ns);
      for (const p of s.spec.ports ?? []) {
        if (p.nodePort === undefined) continue;
        declaredPorts++;
        if (!l?.spec.ports?.some((lp) => lp.nodePort === p.nodePort)) problems.push(`${describeRef(s)}: node port ${p.nodePort} not allocated`);
      }
    }
    expectNoProblems('node ports', problems, declared);
    process.stderr.write(`${owners.size} node ports allocated, no conflict; the ${declaredPorts} declared in dist/ are as declared\n`);
    if (extraApplied.length) {
      const deployments = ofKind(extraApplied, 'Deployment');
      await waitForNoProblems('the Deployments of the other folders to be Available',
        () => ({ problems: deploymentProblems(k, deployments), objects: deployments.map(describeRef) }), WAIT_MS);
      await waitForNoProblems('the EndpointSlices of the other folders to list their pods',
        () => serviceEndpointProblems(k, ofKind(extraApplied, 'Service')), WAIT_MS);
    }
  }));

  test('every HorizontalPodAutoscaler raises its Deployment, written without replicas, to its minimum', () => step('autoscalers', async () => {
    const hpas = ofKind(extraApplied, 'HorizontalPodAutoscaler') as Array<KubeObject & { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas?: number } }>;
    if (hpas.length === 0) {
      process.stderr.write('dist/ has no HorizontalPodAutoscaler: nothing to check\n');
      return;
    }
    const targets = hpas.map((h) => ({ hpa: h, deployment: extraApplied.find((o) => o.kind === 'Deployment' && o.metadata.name === h.spec.scaleTargetRef.name
      && o.metadata.namespace === h.metadata.namespace) as Deployment | undefined }));
    for (const { hpa, deployment } of targets) {
      // GIVEN a Deployment whose manifest leaves the pod count to its autoscaler
      expect([describeRef(hpa), deployment?.spec.replicas]).toEqual([describeRef(hpa), undefined]);
    }
    // THEN the cluster's autoscaler controller sets it to minReplicas, and the pods become Available
    await waitForNoProblems('every autoscaled Deployment to run its minimum of pods', () => ({
      problems: targets.flatMap(({ hpa, deployment }) => {
        const live = k.json<Deployment>(['get', 'deployment', deployment!.metadata.name, '-n', deployment!.metadata.namespace ?? 'default']);
        const min = hpa.spec.minReplicas ?? 1;
        return (live.spec.replicas ?? 1) < min ? [`${describeRef(deployment!)}: ${live.spec.replicas ?? 1} replicas, below the minimum ${min} of ${describeRef(hpa)}`] : [];
      }).concat(deploymentProblems(k, targets.map((t) => t.deployment!))),
      objects: hpas.map(describeRef),
    }), WAIT_MS);
    process.stderr.write(`${hpas.length} autoscalers raised their Deployments to their minimum\n`);
  }));

  test('a copy of the stack with a broken vote Service selector fails the endpoint check', () => step('broken selector', async () => {
    const { objects, brokenService } = brokenCopy(stack);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-broken-selector-'));
    try {
      fs.writeFileSync(path.join(dir, 'broken.k8s.yaml'), objects.map((o) => stringify(o)).join('---\n'));
      const r = k.ok(['apply', '-f', dir]);
      expectNoProblems('kubectl apply of the broken copy', checkApplyOutput(r.stdout, objects, 'created'), objects);
      const deployments = ofKind(objects, 'Deployment');
      await waitForNoProblems('the broken copy\'s Deployments to be Available',
        () => ({ problems: deploymentProblems(k, deployments), objects: deployments.map(describeRef) }), WAIT_MS);
      const services = ofKind(objects, 'Service');
      // The healthy Services of the copy pass, so the check works in that namespace...
      await waitForNoProblems('the other Services of the copy to pass', () => {
        const res = serviceEndpointProblems(k, services.filter((s) => s.metadata.name !== brokenService));
        return res;
      }, WAIT_MS);
      // ...and the broken one is reported, naming the Service and the pods it misses.
      const result = serviceEndpointProblems(k, services);
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toContain(`service/${brokenService} -n ${BROKEN_NAMESPACE}`);
      expect(result.problems[0]).toMatch(/EndpointSlices list \[\] but the ready pods of deployment\/\S+ -n \S+ are \[\S+@10\.244\.\d+\.\d+\]/);
      process.stderr.write(`endpoint check on the broken copy reported, as it should:\n  ${result.problems[0]}\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      k.run(['delete', 'namespace', BROKEN_NAMESPACE, '--wait=false']);
    }
  }));

  // kwok's cluster has no load balancer implementation, as a user's kind or minikube cluster
  // may not: the real-node tier's LoadBalancer tests skip there, saying why, and a Service of
  // type LoadBalancer without an address fails with a message naming it.
  test('without a load balancer implementation, the LoadBalancer tests know it and say why', () => step('no load balancer', async () => {
    const support = await detectLoadBalancer(k, 5000, 'e2e-lb-probe-kwok');
    expect(support.available).toBe(false);
    expect(support.why).toMatch(/no load balancer implementation: a probe LoadBalancer Service got no address in 5s/);
    const ns = 'e2e-lb-none';
    k.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'front', namespace: ns },
        spec: { type: 'LoadBalancer', selector: { app: 'front' }, ports: [{ port: 80 }] } },
    ] }) });
    try {
      await expect(loadBalancerAddress(k, ns, 'front', 3000))
        .rejects.toThrow(/^Service e2e-lb-none\/front \(LoadBalancer .*\) has no LoadBalancer address after 3s/);
    } finally {
      k.run(['delete', 'namespace', ns, '--wait=false']);
    }
  }));
});

/** The body of the PATCH that `kubectl apply` sends for an object (from kubectl -v=8). */
function applyPatchOf(o: KubeObject): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-patch-'));
  try {
    fs.writeFileSync(path.join(dir, 'object.yaml'), stringify(o));
    const r = k.run(['apply', '--dry-run=server', '-v=8', '-f', path.join(dir, 'object.yaml')]);
    const bodies = r.stderr.split('\n')
      .map((l) => /Request Body"? (?:body=)?(.*)$/.exec(l)?.[1] ?? '')
      .filter((b) => b && b !== '""');
    return bodies.map((b) => (b.startsWith('"') ? JSON.parse(b) as string : b)).join(' ') || '(not shown by kubectl)';
  } catch (e) {
    return `(unknown: ${(e as Error).message})`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * There is no storage provisioner here: each PersistentVolumeClaim gets a PersistentVolume
 * made for it (pre-bound by claimRef, hostPath that nothing mounts since no kubelet runs), as a
 * cloud's provisioner would, so that the pods using it can be scheduled.
 */
function provisionVolumes(objects: KubeObject[]): void {
  const claims = objects.filter((o) => o.kind === 'PersistentVolumeClaim') as (KubeObject & {
    spec: { accessModes?: string[]; storageClassName?: string; volumeMode?: string; resources?: { requests?: { storage?: string } } };
  })[];
  for (const c of claims) {
    const ns = c.metadata.namespace ?? 'default';
    const pv = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: `e2e-${ns}-${c.metadata.name}`.slice(0, 63), labels: { 'e2e.cdk8s-voting-app/stand-in': 'true' } },
      spec: {
        capacity: { storage: c.spec.resources?.requests?.storage ?? '1Gi' },
        accessModes: c.spec.accessModes ?? ['ReadWriteOnce'],
        storageClassName: c.spec.storageClassName ?? '',
        volumeMode: c.spec.volumeMode ?? 'Filesystem',
        persistentVolumeReclaimPolicy: 'Retain',
        claimRef: { namespace: ns, name: c.metadata.name },
        hostPath: { path: `/nonexistent/e2e/${ns}/${c.metadata.name}` },
      },
    };
    k.ok(['apply', '-f', '-'], { input: JSON.stringify(pv) });
  }
}

/**
 * The top-level stack moved to its own namespace, with the vote Service's selector (the
 * first Service with a node port, if there is no `vote`) pointing at a name no pod has, and
 * node ports dropped (the real stack holds them).
 */
function brokenCopy(objects: KubeObject[]): { objects: KubeObject[]; brokenService: string } {
  const copy = JSON.parse(JSON.stringify(objects)) as (KubeObject & { spec?: Service['spec'] })[];
  const services = copy.filter((o) => o.kind === 'Service' && o.spec?.selector);
  const target = services.find((s) => s.metadata.name === 'vote') ?? services[0];
  if (!target) throw new Error('the stack has no Service with a selector to break');
  const out: KubeObject[] = [];
  for (const o of copy) {
    if (o.kind === 'Namespace') {
      o.metadata.name = BROKEN_NAMESPACE;
    } else if (o.metadata.namespace !== undefined) {
      o.metadata.namespace = BROKEN_NAMESPACE;
    } else {
      continue; // cluster-scoped objects other than the namespace are not copied
    }
    if (o.kind === 'Service') for (const p of o.spec?.ports ?? []) delete p.nodePort;
    out.push(o);
  }
  if (!out.some((o) => o.kind === 'Namespace')) {
    out.unshift({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: BROKEN_NAMESPACE } });
  }
  const selector = target.spec!.selector!;
  const key = 'app.kubernetes.io/name' in selector ? 'app.kubernetes.io/name' : Object.keys(selector)[0];
  selector[key] = `${selector[key]}-broken`;
  return { objects: out, brokenService: target.metadata.name };
}
