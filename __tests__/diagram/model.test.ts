/**
 * The graph the topology diagram is drawn from (tools/diagram), checked on
 * the committed voting app manifests and on modified copies of them. These
 * tests look at nodes and edges, never at pixels.
 */
import * as path from 'path';
import { NodePortRange } from '../../lib/core/node-port-range';
import { JsonObject, ManifestIndex, objs, WorkloadEntry } from '../../lib/core/model';
import { loadManifests, Manifest } from '../../tools/diagram/load';
import { toDot } from '../../tools/diagram/dot';
import { buildGraph, Graph, GraphEdge, GraphNode, secretId, serviceId, USERS_ID, workloadId } from '../../tools/diagram/model';

const STACK = path.join(__dirname, '..', '..', 'dist', 'voting-app.k8s.yaml');
const NS = 'voting-app';
const COMPONENTS = ['db', 'redis', 'result', 'vote', 'worker'];

const deployment = (name: string, ns = NS): string => workloadId(ns, 'Deployment', name);
const service = (name: string, ns = NS): string => serviceId(ns, name);

function stack(): Manifest[] {
  return loadManifests([STACK]);
}

/** A deep copy of the stack's documents, for breaking one thing at a time. */
function copyOfStack(): Manifest[] {
  return stack().map(m => ({ file: m.file, doc: structuredClone(m.doc) }));
}

function find(manifests: Manifest[], kind: string, name: string): JsonObject {
  const m = manifests.find(x => x.doc.kind === kind && (x.doc.metadata as JsonObject).name === name);
  if (!m) throw new Error(`no ${kind} ${name} in the stack`);
  return m.doc;
}

function node(graph: Graph, id: string): GraphNode {
  const n = graph.nodes.find(x => x.id === id);
  if (!n) throw new Error(`no node ${id}; nodes are ${graph.nodes.map(x => x.id).join(', ')}`);
  return n;
}

const triples = (edges: GraphEdge[], kind?: GraphEdge['kind']): string[] =>
  edges.filter(e => !kind || e.kind === kind).map(e => `${e.from} -> ${e.to}`).sort();

describe('diagram graph: the voting app stack in dist/', () => {
  const graph = buildGraph('voting-app', stack());

  test('has one node per Service, Deployment and Secret, plus users and the two node ports', () => {
    expect(graph.nodes.map(n => n.id).sort()).toEqual(
      [
        USERS_ID,
        'entry:nodeport:31000',
        'entry:nodeport:31001',
        ...COMPONENTS.map(c => deployment(c)),
        ...['db', 'redis', 'result', 'vote'].map(s => service(s)),
        secretId(NS, 'db-credentials'),
      ].sort(),
    );
    expect(graph.namespaces).toEqual([NS]);
  });

  test('finds no problem', () => {
    expect(graph.problems).toEqual([]);
    expect(graph.nodes.filter(n => n.status !== 'ok')).toEqual([]);
    expect(graph.edges.filter(e => e.status !== 'ok')).toEqual([]);
  });

  test('shows each Service with its type, port and targetPort', () => {
    const svc = (name: string) => node(graph, service(name)).service;
    expect(svc('vote')).toMatchObject({ type: 'NodePort', ports: [{ port: 8080, targetPort: 80, nodePort: 31000 }] });
    expect(svc('result')).toMatchObject({ type: 'NodePort', ports: [{ port: 8081, targetPort: 80, nodePort: 31001 }] });
    expect(svc('redis')).toMatchObject({ type: 'ClusterIP', ports: [{ port: 6379, targetPort: 6379 }] });
    expect(svc('db')).toMatchObject({ type: 'ClusterIP', ports: [{ port: 5432, targetPort: 5432 }] });
    expect(node(graph, service('vote')).details).toEqual(['type NodePort', 'port 8080 -> targetPort 80/TCP']);
  });

  test('shows every Deployment with its replicas', () => {
    for (const c of COMPONENTS) {
      expect(node(graph, deployment(c)).workload).toMatchObject({ resource: 'Deployment', replicas: '1' });
      expect(node(graph, deployment(c)).details).toContain('replicas: 1');
    }
  });

  test('outside users reach vote and result through their node ports, and nothing else', () => {
    expect(triples(graph.edges, 'reaches')).toEqual([
      `entry:nodeport:31000 -> ${service('vote')}`,
      `entry:nodeport:31001 -> ${service('result')}`,
      `${USERS_ID} -> entry:nodeport:31000`,
      `${USERS_ID} -> entry:nodeport:31001`,
    ]);
  });

  test('joins each Service to exactly the Deployment its selector matches, landing on the named container port', () => {
    expect(triples(graph.edges, 'routes')).toEqual(['db', 'redis', 'result', 'vote'].map(s => `${service(s)} -> ${deployment(s)}`));
    const routes = Object.fromEntries(graph.edges.filter(e => e.kind === 'routes').map(e => [e.from, e.label]));
    expect(routes[service('vote')]).toBe('-> pod port 80 (http)');
    expect(routes[service('db')]).toBe('-> pod port 5432 (postgres)');
  });

  test('draws the NetworkPolicy connections: db from worker and result, redis from vote and worker, worker from nobody', () => {
    expect(triples(graph.edges, 'allows')).toEqual(
      [
        `${deployment('result')} -> ${deployment('db')}`,
        `${deployment('vote')} -> ${deployment('redis')}`,
        `${deployment('worker')} -> ${deployment('db')}`,
        `${deployment('worker')} -> ${deployment('redis')}`,
      ].sort(),
    );
    const label = (from: string, to: string) => graph.edges.find(e => e.kind === 'allows' && e.from === deployment(from) && e.to === deployment(to))?.label;
    expect(label('worker', 'db')).toBe('5432/TCP');
    expect(label('vote', 'redis')).toBe('6379/TCP');
  });

  test('says which pods accept any source and which are isolated', () => {
    const ingressLine = (c: string) => node(graph, deployment(c)).details.find(d => d.startsWith('ingress:'));
    expect(ingressLine('vote')).toBe('ingress: any source on 80/TCP (vote-ingress)');
    expect(ingressLine('result')).toBe('ingress: any source on 80/TCP (result-ingress)');
    expect(ingressLine('worker')).toBe('ingress: deny all (worker-ingress)');
    expect(ingressLine('db')).toBe('ingress: only from green arrows (db-ingress)');
    expect(node(graph, deployment('db')).workload?.ingressIsolated).toBe(true);
    // Selected by vote-ingress, so isolated in Kubernetes terms, even though the rule admits any source.
    expect(node(graph, deployment('vote')).workload?.ingressIsolated).toBe(true);
  });

  test('GIVEN a rule open to any source on a named port the pod does not declare THEN it admits nothing: no "any source" line, and the exposed front end is warned about', () => {
    const docs = copyOfStack();
    const spec = find(docs, 'NetworkPolicy', 'vote-ingress').spec as JsonObject;
    spec.ingress = [{ ports: [{ port: 'no-such-port', protocol: 'TCP' }] }];
    const n = node(buildGraph('voting-app', docs), deployment('vote'));
    expect(n.details.find(d => d.startsWith('ingress:'))).toBe('ingress: only from green arrows (vote-ingress)');
    expect(n.problems.map(p => p.text)).toContain('exposed outside the cluster, but its ingress NetworkPolicy admits only pods of this namespace');
  });

  test('joins the db-credentials Secret to db, the only reader, with the env vars it fills', () => {
    expect(triples(graph.edges, 'reads')).toEqual([`${deployment('db')} -> ${secretId(NS, 'db-credentials')}`]);
    const reads = graph.edges.find(e => e.kind === 'reads');
    expect(reads?.label.split('\n').sort()).toEqual(['env POSTGRES_PASSWORD (key password)', 'env POSTGRES_USER (key username)']);
    expect(node(graph, secretId(NS, 'db-credentials')).details).toContain('keys: password, username');
  });

  test('never shows a Secret value', () => {
    const text = JSON.stringify(graph);
    const secret = find(stack(), 'Secret', 'db-credentials');
    const data = secret.data as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(['password', 'username']);
    for (const value of Object.values(data)) {
      expect(text).not.toContain(value);
    }
  });
});

describe('diagram graph: a Service whose selector matches nothing', () => {
  test('is an error, routes nowhere, and is listed in the problems', () => {
    const broken = copyOfStack();
    const spec = find(broken, 'Service', 'vote').spec as JsonObject;
    spec.selector = { 'app.kubernetes.io/instance': 'voting-app', 'app.kubernetes.io/name': 'votes' };
    const graph = buildGraph('broken', broken);

    const vote = node(graph, service('vote'));
    expect(vote.status).toBe('error');
    expect(vote.problems).toEqual([{ severity: 'error', text: 'selector matches no pod in namespace voting-app' }]);
    expect(vote.details).toContain('selector: app.kubernetes.io/instance=voting-app, app.kubernetes.io/name=votes');
    expect(graph.edges.filter(e => e.from === vote.id && e.kind === 'routes')).toEqual([]);
    // Outside users still reach the node port: the Service exists, it just sends nowhere.
    expect(triples(graph.edges, 'reaches')).toContain(`entry:nodeport:31000 -> ${vote.id}`);
    expect(graph.problems).toEqual(['error: Service vote (voting-app): selector matches no pod in namespace voting-app']);
    // Everything else is untouched.
    expect(triples(graph.edges, 'routes')).toEqual(['db', 'redis', 'result'].map(s => `${service(s)} -> ${deployment(s)}`));
  });

  test('matching labels in another namespace do not count', () => {
    const moved = copyOfStack();
    (find(moved, 'Deployment', 'vote').metadata as JsonObject).namespace = 'elsewhere';
    const graph = buildGraph('moved', moved);
    expect(node(graph, service('vote')).status).toBe('error');
    expect(node(graph, deployment('vote', 'elsewhere')).namespace).toBe('elsewhere');
    expect(graph.edges.filter(e => e.to === deployment('vote', 'elsewhere') && e.kind === 'routes')).toEqual([]);
  });

  test('a selector that matches only some of the pod labels still joins (subset match)', () => {
    const loose = copyOfStack();
    (find(loose, 'Service', 'vote').spec as JsonObject).selector = { 'app.kubernetes.io/name': 'vote' };
    const graph = buildGraph('loose', loose);
    expect(triples(graph.edges, 'routes')).toContain(`${service('vote')} -> ${deployment('vote')}`);
    expect(node(graph, service('vote')).status).toBe('ok');
  });
});

describe('diagram graph: NetworkPolicy semantics', () => {
  const policy = (name: string, spec: JsonObject): Manifest => ({
    file: 'test.yaml',
    doc: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: NS }, spec },
  });
  const selectorOf = (c: string): JsonObject => ({ matchLabels: { 'app.kubernetes.io/name': c } });

  test('a pod no ingress policy selects accepts all: removing redis-ingress removes the arrows into redis', () => {
    const open = copyOfStack().filter(m => !(m.doc.kind === 'NetworkPolicy' && (m.doc.metadata as JsonObject).name === 'redis-ingress'));
    const graph = buildGraph('open', open);
    expect(graph.edges.filter(e => e.kind === 'allows' && e.to === deployment('redis'))).toEqual([]);
    expect(node(graph, deployment('redis')).details).toContain('ingress: open (no NetworkPolicy)');
  });

  test('an egress policy limits where its pods may connect, on top of the destination ingress rules', () => {
    const manifests = [
      ...copyOfStack(),
      policy('vote-egress', { podSelector: selectorOf('vote'), policyTypes: ['Egress'], egress: [{ to: [{ podSelector: selectorOf('redis') }], ports: [{ port: 6379 }] }] }),
    ];
    const graph = buildGraph('egress', manifests);
    expect(graph.edges.filter(e => e.kind === 'allows' && e.from === deployment('vote')).map(e => e.to)).toEqual([deployment('redis')]);
    expect(node(graph, deployment('vote')).details).toContain('egress: only to green arrows (vote-egress)');
  });

  test('a namespaceSelector peer admits pods from the selected namespaces only', () => {
    const other: Manifest[] = copyOfStack()
      .filter(m => m.doc.kind === 'Deployment' && (m.doc.metadata as JsonObject).name === 'worker')
      .map(m => ({ file: m.file, doc: { ...m.doc, metadata: { ...(m.doc.metadata as JsonObject), namespace: 'batch' } } }));
    const peer = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'batch' } }, podSelector: selectorOf('worker') };
    const manifests = [...copyOfStack(), ...other, policy('db-from-batch', { podSelector: selectorOf('db'), ingress: [{ from: [peer] }] })];
    const graph = buildGraph('ns', manifests);
    const into = graph.edges.filter(e => e.kind === 'allows' && e.to === deployment('db')).map(e => `${e.from} ${e.label}`).sort();
    expect(into).toEqual([`${deployment('result')} 5432/TCP`, `${deployment('worker')} 5432/TCP`, `${deployment('worker', 'batch')} any port`].sort());
  });

  test('an isolated pod behind a NodePort that admits only in-namespace pods is flagged', () => {
    const manifests = [...copyOfStack(), policy('vote-ingress', { podSelector: selectorOf('vote'), ingress: [{ from: [{ podSelector: selectorOf('result') }] }] })];
    const graph = buildGraph('closed', manifests);
    expect(node(graph, deployment('vote')).problems.map(p => p.severity)).toEqual(['warning']);
  });
});

describe('diagram graph: Secrets, ExternalName and node ports', () => {
  const doc = (d: JsonObject): Manifest => ({ file: 'test.yaml', doc: d });
  const pod = (name: string, spec: JsonObject): Manifest =>
    doc({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } } });

  test('joins readers through envFrom, volumes and imagePullSecrets; flags missing Secrets and keys', () => {
    const graph = buildGraph('secrets', [
      doc({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' }, data: { 'tls.crt': 'eA==' } }),
      doc({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api' }, stringData: { token: 't' } }),
      pod('web', {
        containers: [
          {
            name: 'web',
            image: 'nginx',
            envFrom: [{ secretRef: { name: 'api' } }],
            env: [{ name: 'KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'missing' } } }],
            volumeMounts: [{ name: 'certs', mountPath: '/etc/tls' }],
          },
        ],
        volumes: [{ name: 'certs', secret: { secretName: 'tls' } }],
        imagePullSecrets: [{ name: 'regcred' }],
      }),
    ]);
    const web = workloadId('default', 'Deployment', 'web');
    expect(triples(graph.edges, 'reads')).toEqual(['api', 'regcred', 'tls'].map(s => `${web} -> ${secretId('default', s)}`));
    expect(graph.edges.find(e => e.to === secretId('default', 'tls'))?.label).toBe('volume at /etc/tls');
    expect(node(graph, secretId('default', 'api')).status).toBe('error'); // key "missing" is not in it
    // Not in these manifests, but the kubelet pulls without a missing pull secret: drawn, not flagged (synth does not flag it either).
    expect(node(graph, secretId('default', 'regcred')).status).toBe('ok');
    expect(node(graph, secretId('default', 'regcred')).details).toEqual(['not in these manifests']);
    expect(node(graph, web).workload?.replicas).toBe('2');
  });

  test('an autoscaled Deployment shows its autoscaling range, not the replicas its manifest leaves out', () => {
    const graph = buildGraph('hpa', [
      pod('web', { containers: [{ name: 'web', image: 'nginx' }] }),
      doc({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:1' }] } } } }),
      doc({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 5 } }),
    ]);
    expect(node(graph, workloadId('default', 'Deployment', 'api')).details).toContain('replicas: autoscaled 2-5');
    expect(node(graph, workloadId('default', 'Deployment', 'web')).workload?.replicas).toBe('2');
  });

  test('an ExternalName Service points outside the cluster', () => {
    const graph = buildGraph('ext', [doc({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db-svc' }, spec: { type: 'ExternalName', externalName: 'mydb.amazonaws.com' } })]);
    expect(triples(graph.edges)).toEqual([`${serviceId('default', 'db-svc')} -> external:mydb.amazonaws.com`]);
    expect(node(graph, 'external:mydb.amazonaws.com').namespace).toBeUndefined();
    expect(graph.problems).toEqual([]);
  });

  test('two Services on one node port, and a named targetPort no container has, are errors', () => {
    const svc = (name: string, targetPort: number | string): Manifest =>
      doc({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort, nodePort: 31000 }] } });
    const graph = buildGraph('clash', [pod('web', { containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }] }] }), svc('a', 'http'), svc('b', 'web')]);
    expect(node(graph, 'entry:nodeport:31000').status).toBe('error');
    expect(node(graph, serviceId('default', 'a')).status).toBe('ok');
    expect(node(graph, serviceId('default', 'b')).problems).toEqual([{ severity: 'error', text: 'targetPort "web" is not a named container port of Deployment web' }]);
  });

  test('a LoadBalancer Service gets a load balancer in front of it', () => {
    const graph = buildGraph('lb', [doc({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop' }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } })]);
    expect(triples(graph.edges, 'reaches')).toEqual([`entry:lb:default/shop -> ${serviceId('default', 'shop')}`, `${USERS_ID} -> entry:lb:default/shop`]);
  });
});

describe('diagram graph: the rules are the model\'s, so the picture agrees with synth', () => {
  const doc = (d: JsonObject): Manifest => ({ file: 'test.yaml', doc: d });
  const web = (spec: JsonObject, apiVersion = 'apps/v1'): Manifest =>
    doc({ apiVersion, kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec } } });
  const svc = (targetPort: number | string, nodePort?: number): Manifest =>
    doc({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: nodePort ? 'NodePort' : 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort, ...(nodePort ? { nodePort } : {}) }] } });
  const webId = workloadId('default', 'Deployment', 'web');

  test('GIVEN a numeric targetPort the pods do not declare among their ports THEN it is an error, as in synth', () => {
    const graph = buildGraph('t', [web({ containers: [{ name: 'web', ports: [{ containerPort: 8080 }] }] }), svc(9090)]);
    expect(node(graph, serviceId('default', 'web')).problems).toEqual([{ severity: 'error', text: 'targetPort 9090 is not a container port of Deployment web (it declares 8080)' }]);
  });

  test('GIVEN a numeric targetPort and pods that declare no port THEN it routes there with no problem, as in synth', () => {
    const graph = buildGraph('t', [web({ containers: [{ name: 'web' }] }), svc(9090)]);
    expect(graph.problems).toEqual([]);
    expect(graph.edges.find(e => e.kind === 'routes')?.label).toBe('-> pod port 9090');
  });

  test('GIVEN a named targetPort only a plain init container declares THEN it is an error; a sidecar\'s THEN it routes', () => {
    const init = (restartPolicy?: string) => web({ initContainers: [{ name: 'proxy', ...(restartPolicy ? { restartPolicy } : {}), ports: [{ containerPort: 15001, name: 'mesh' }] }], containers: [{ name: 'web' }] });
    expect(node(buildGraph('t', [init(), svc('mesh')]), serviceId('default', 'web')).status).toBe('error');
    const sidecar = buildGraph('t', [init('Always'), svc('mesh')]);
    expect(sidecar.problems).toEqual([]);
    expect(sidecar.edges.find(e => e.kind === 'routes')?.label).toBe('-> pod port 15001 (mesh)');
  });

  test('GIVEN one object under two versions of its group THEN it is an error (one overwrites the other), as in synth', () => {
    const graph = buildGraph('t', [web({ containers: [{ name: 'a' }] }), web({ containers: [{ name: 'b' }] }, 'apps/v1beta2')]);
    expect(graph.problems).toEqual(['error: Deployment web is defined twice (test.yaml, test.yaml): the last one wins']);
    expect(graph.nodes.filter(n => n.id === webId)).toHaveLength(1);
  });

  test('GIVEN a node port range THEN the graph checks node ports against it (default: synth\'s 30000-32767)', () => {
    const manifests = [web({ containers: [{ name: 'web', ports: [{ containerPort: 80 }] }] }), svc(80, 20080)];
    expect(buildGraph('t', manifests).problems).toEqual(['error: NodePort 20080: node port 20080 is outside 30000-32767']);
    expect(buildGraph('t', manifests, { nodePortRange: NodePortRange.of(20000, 20100) }).problems).toEqual([]);
  });

  test('GIVEN a volume item key the Secret lacks THEN it is an error, as in synth; an unmounted Secret volume is not drawn', () => {
    const graph = buildGraph('t', [
      doc({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' }, data: { 'tls.crt': 'eA==' } }),
      web({
        containers: [{ name: 'web', volumeMounts: [{ name: 'certs', mountPath: '/tls' }] }],
        volumes: [{ name: 'certs', secret: { secretName: 'tls', items: [{ key: 'tls.key', path: 'k' }] } }, { name: 'unused', secret: { secretName: 'other' } }],
      }),
    ]);
    expect(node(graph, secretId('default', 'tls')).problems).toEqual([{ severity: 'error', text: 'Deployment web reads key "tls.key", which this Secret does not have' }]);
    expect(graph.nodes.map(n => n.id)).not.toContain(secretId('default', 'other'));
  });

  test('GIVEN a rule whose named port the destination does not declare THEN no arrow is drawn, as synth admits nothing on it', () => {
    const client = doc({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cli' }, spec: { selector: { matchLabels: { app: 'cli' } }, template: { metadata: { labels: { app: 'cli' } }, spec: { containers: [{ name: 'cli' }] } } } });
    const rulePort = (port: string): Manifest => doc({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'cli' } } }], ports: [{ port }] }] },
    });
    const target = web({ containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }] }] });
    const arrows = (port: string) => buildGraph('t', [target, client, rulePort(port)]).edges.filter(e => e.kind === 'allows').map(e => e.label);
    expect(arrows('web')).toEqual([]);
    expect(arrows('http')).toEqual(['80/TCP']);
  });

  test('GIVEN a policy with an empty egress list and no policyTypes THEN it governs ingress only, as the API server defaults it', () => {
    const graph = buildGraph('t', [
      web({ containers: [{ name: 'web' }] }),
      doc({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spec: { podSelector: {}, ingress: [{}], egress: [] } }),
    ]);
    expect(node(graph, webId).workload).toMatchObject({ ingressIsolated: true, egressIsolated: false });
  });

  test('GIVEN the voting app stack THEN each arrow into an isolated pod is exactly what the model\'s ingress verdict admits, port by port', () => {
    const manifests = stack();
    const graph = buildGraph('voting-app', manifests);
    const index = new ManifestIndex<Manifest>();
    manifests.forEach(m => index.add(m, m.doc));
    const pod = (w: WorkloadEntry<Manifest>) => ({ namespace: w.namespace, labels: w.labels, ports: w.ports });
    let compared = 0;
    for (const dst of index.workloads) {
      const rules = index.policies.selecting(pod(dst), 'ingress').flatMap(p => p.ingress ?? []);
      if (rules.length === 0 || rules.some(r => objs(r.from).length === 0)) continue; // open, or open to all: no arrows drawn
      for (const src of index.workloads.filter(w => w !== dst)) {
        const edge = graph.edges.find(e => e.kind === 'allows' && e.from === deployment(src.name) && e.to === deployment(dst.name));
        for (const port of dst.ports) {
          const admitted = index.policies.ingressVerdict(pod(src), pod(dst), port).admitted;
          expect({ src: src.name, dst: dst.name, port: port.number, drawn: edge?.label.split('\n').includes(`${port.number}/${port.protocol}`) ?? false })
            .toEqual({ src: src.name, dst: dst.name, port: port.number, drawn: admitted });
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  describe('policy verdicts with port ranges and doubt', () => {
    const deployment = (name: string, namespace: string, ports: JsonObject[] = []): Manifest => doc({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, ports }] } } },
    });
    const netpol = (name: string, namespace: string, spec: JsonObject): Manifest => doc({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
    const api = deployment('api', 'shop', [{ containerPort: 8080, name: 'http' }, { containerPort: 9000, name: 'admin' }]);
    const web = deployment('web', 'shop');
    const apiId = workloadId('shop', 'Deployment', 'api');
    const webId = workloadId('shop', 'Deployment', 'web');
    const apiIngress = (from: JsonObject[], ports: JsonObject[]) => netpol('api-in', 'shop', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from, ports }] });
    const webEgress = (ports?: JsonObject[]) => netpol('web-out', 'shop', {
      podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ...(ports ? { ports } : {}) }],
    });
    const fromWeb = [{ podSelector: { matchLabels: { app: 'web' } } }];
    const arrows = (graph: Graph) => graph.edges.filter(e => e.kind === 'allows' || e.kind === 'in-doubt').map(e => ({ from: e.from, to: e.to, kind: e.kind, label: e.label }));
    const verdictOf = (manifests: Manifest[], port: number) => {
      const index = new ManifestIndex<Manifest>();
      manifests.forEach(m => index.add(m, m.doc));
      const pod = (name: string) => index.workloads.find(w => w.name === name)!;
      const [source, target] = [pod('web'), pod('api')].map(w => ({ namespace: w.namespace, labels: w.labels, ports: w.ports }));
      return index.policies.connectionVerdict(source, target, { number: port }).verdict;
    };

    test('GIVEN an ingress rule on ports 8000-8100 and an egress rule on 8080 THEN the arrow says 8080/TCP, the port the model (and synth) admits', () => {
      const manifests = [api, web, apiIngress(fromWeb, [{ port: 8000, endPort: 8100 }]), webEgress([{ port: 8080 }])];
      expect(arrows(buildGraph('t', manifests))).toEqual([{ from: webId, to: apiId, kind: 'allows', label: '8080/TCP' }]);
      expect(verdictOf(manifests, 8080)).toBe('admitted');
      expect(verdictOf(manifests, 8081)).toBe('refused');
    });

    test('GIVEN an ingress rule on ports 8000-8100 and an egress rule on every port THEN the arrow says the range', () => {
      const manifests = [api, web, apiIngress(fromWeb, [{ port: 8000, endPort: 8100 }]), webEgress()];
      expect(arrows(buildGraph('t', manifests))).toEqual([{ from: webId, to: apiId, kind: 'allows', label: '8000-8100/TCP' }]);
    });

    test('GIVEN an egress rule on a range and an ingress rule on a named port in it THEN the arrow says the named port\'s number', () => {
      const manifests = [api, web, apiIngress(fromWeb, [{ port: 'admin' }]), webEgress([{ port: 8000, endPort: 9000 }])];
      expect(arrows(buildGraph('t', manifests))).toEqual([{ from: webId, to: apiId, kind: 'allows', label: '9000/TCP' }]);
    });

    test('GIVEN an ingress rule from an ipBlock that may cover pod addresses THEN the edge is "in doubt", drawn apart with its reason, as synth gives it the benefit of the doubt', () => {
      const manifests = [api, web, apiIngress([{ ipBlock: { cidr: '10.0.0.0/8' } }], [{ port: 8080 }])];
      const graph = buildGraph('t', manifests);
      expect(arrows(graph).filter(a => a.from === webId)).toEqual([{ from: webId, to: apiId, kind: 'in-doubt', label: '8080/TCP\nin doubt: an ipBlock may cover pod addresses' }]);
      expect(verdictOf(manifests, 8080)).toBe('in-doubt');
      expect(toDot(graph, 'test.yaml')).toMatch(/"workload:shop\/Deployment\/web" -> "workload:shop\/Deployment\/api" \[label=<8080\/TCP<br\/>in doubt: an ipBlock may cover pod addresses> color="#f9a825"/);
    });

    test('GIVEN a namespaceSelector on labels of a namespace the manifests do not define THEN the edge from a pod there is "in doubt"', () => {
      const batch = deployment('web', 'batch');
      const manifests = [api, batch, apiIngress([{ namespaceSelector: { matchLabels: { team: 'shop' } } }], [{ port: 8080 }])];
      expect(arrows(buildGraph('t', manifests))).toEqual([
        { from: workloadId('batch', 'Deployment', 'web'), to: apiId, kind: 'in-doubt', label: '8080/TCP\nin doubt: namespace labels not in these manifests' },
      ]);
    });

    test('GIVEN the namespace is defined without those labels THEN there is no doubt and no edge', () => {
      const batch = deployment('web', 'batch');
      const ns = doc({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'batch' } });
      const manifests = [api, batch, ns, apiIngress([{ namespaceSelector: { matchLabels: { team: 'shop' } } }], [{ port: 8080 }])];
      expect(arrows(buildGraph('t', manifests))).toEqual([]);
    });
  });
});
