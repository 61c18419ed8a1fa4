/**
 * The graph a topology diagram is drawn from, built from the manifests of one
 * dist/ folder. Everything the picture claims is decided here, with the
 * Kubernetes rules of lib/core/model (the ones synth checks with, so the
 * picture cannot disagree with synth), and tests check it without pixels:
 *
 * - a Service is joined to a workload only where its selector matches the pod
 *   template labels in the same namespace; a selector that matches nothing is an error;
 * - outside users reach NodePort and LoadBalancer Services (and Ingresses);
 * - pod-to-pod "may connect" edges are the model's verdict on each port
 *   (NetworkPolicies.connectionVerdict, the one synth checks declared connections
 *   with): the target's ingress policies and the source's egress policies must both
 *   admit it, port ranges (port to endPort) and named ports included; a connection
 *   admitted only on facts the manifests do not hold (an ipBlock that may cover pod
 *   addresses, labels of a namespace they do not define) gets an "in doubt" edge;
 * - Secrets are joined to the workloads that read them (secretKeyRef, envFrom,
 *   volumes, projected volumes, imagePullSecrets);
 * - ExternalName Services point at a host outside the cluster.
 */
import { NodePortRange } from '../../lib/core/node-port-range';
import {
  arr, connectionPorts, DeclaredPort, Doubt, identityOf, JsonObject, kindOf, Labels, ManifestIndex, MAX_PORT, nameOf, namespaceOf,
  NetworkPolicy, NodePortClaims, num, obj, objs, PodRef, POLICY_PROTOCOLS, policySelects, PortRange, Reference, referenceProblem, resolveTargetPort,
  rulePeers, rulePortRanges, rulePortsOf, ServiceEntry, ServicePort, str, WorkloadEntry,
} from '../../lib/core/model';
import { Manifest } from './load';

export type Status = 'ok' | 'warning' | 'error';

export type NodeKind =
  | 'users' // people and systems outside the cluster
  | 'entry' // a node port or load balancer where outside traffic comes in
  | 'ingress' // an Ingress object
  | 'service'
  | 'workload'
  | 'secret'
  | 'external'; // a host or address range outside the cluster

export type EdgeKind =
  | 'reaches' // outside traffic: users -> entry -> Service
  | 'routes' // Service -> the workload whose pods it selects
  | 'allows' // NetworkPolicy: source pods may open connections to destination pods
  | 'in-doubt' // NetworkPolicy: they may, on facts the manifests do not hold (synth gives it the benefit of the doubt)
  | 'reads' // workload -> Secret it reads
  | 'points-to'; // ExternalName Service -> outside host

export type ServicePortInfo = ServicePort;

export interface Problem {
  readonly severity: 'error' | 'warning';
  readonly text: string;
}

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** Bold first line of the box, e.g. `Service vote`. */
  readonly title: string;
  readonly name: string;
  /** Namespace the object lives in; absent for things outside any namespace. */
  readonly namespace?: string;
  details: string[];
  status: Status;
  problems: Problem[];
  service?: { type: string; headless: boolean; ports: ServicePortInfo[]; selector?: Labels; externalName?: string };
  workload?: { resource: string; replicas: string; ingressIsolated: boolean; egressIsolated: boolean };
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  label: string;
  status: Status;
}

export interface Graph {
  readonly name: string;
  readonly namespaces: string[];
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  /** Every problem found, one line each (`error: ...` or `warning: ...`), errors first. */
  readonly problems: string[];
}

export const USERS_ID = 'users';

interface Workload {
  readonly node: GraphNode;
  readonly entry: WorkloadEntry<Manifest>;
  /** Its pods, as the NetworkPolicies see them. */
  readonly pod: PodRef & { readonly ports: readonly DeclaredPort[] };
  readonly ingressPolicies: NetworkPolicy[];
  readonly egressPolicies: NetworkPolicy[];
  /** Reached from outside the cluster through a NodePort, LoadBalancer or Ingress. */
  exposedBy: string[];
}

/** Options of {@link buildGraph}. */
export interface GraphOptions {
  /** The cluster's node port range (default 30000-32767, the range synth checks against by default). */
  readonly nodePortRange?: NodePortRange;
}

const worse = (a: Status, b: Status): Status => (a === 'error' || b === 'error' ? 'error' : a === 'warning' || b === 'warning' ? 'warning' : 'ok');

class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge>();
  private readonly problems = new Set<string>();
  private readonly index = new ManifestIndex<Manifest>();
  private readonly workloads: Workload[] = [];
  private readonly workloadOf = new Map<WorkloadEntry<Manifest>, Workload>();
  private readonly nodePorts: NodePortClaims<GraphNode>;
  /** The pod count of autoscaled workloads (`autoscaled 2-5`), by node id. */
  private readonly autoscaled = new Map<string, string>();

  constructor(private readonly name: string, options: GraphOptions) {
    this.nodePorts = new NodePortClaims(options.nodePortRange ?? NodePortRange.DEFAULT);
  }

  build(manifests: Manifest[]): Graph {
    const docs = this.dedupe(manifests.flatMap(m => flatten(m)));
    const index = this.index;
    for (const d of docs) index.add(d, d.doc);
    const byKind = (k: string): JsonObject[] => docs.filter(d => kindOf(d.doc) === k).map(d => d.doc);
    for (const hpa of byKind('HorizontalPodAutoscaler')) {
      const spec = obj(hpa.spec) ?? {};
      const ref = obj(spec.scaleTargetRef) ?? {};
      this.autoscaled.set(workloadId(namespaceOf(hpa), str(ref.kind) ?? '', str(ref.name) ?? ''), `autoscaled ${num(spec.minReplicas) ?? 1}-${num(spec.maxReplicas) ?? '?'}`);
    }
    for (const w of index.workloads) this.addWorkload(w);
    for (const w of this.workloads) {
      w.ingressPolicies.push(...index.policies.selecting(w.pod, 'ingress'));
      w.egressPolicies.push(...index.policies.selecting(w.pod, 'egress'));
    }
    for (const p of index.policies.all) {
      if (!this.workloads.some(w => policySelects(p, w.pod))) {
        this.problems.add(`warning: NetworkPolicy ${p.name} (${p.namespace}): its podSelector selects no pod in these manifests`);
      }
    }
    for (const s of index.services) this.addService(s);
    for (const d of byKind('Ingress')) this.addIngress(d);
    for (const d of byKind('Secret')) this.addSecret(d);
    for (const w of this.workloads) this.addSecretReaders(w);
    this.addNetworkPolicyEdges();

    const nodes = [...this.nodes.values()].sort((a, b) => byCodeUnits(a.id, b.id));
    for (const n of nodes) for (const p of n.problems) this.problems.add(`${p.severity}: ${n.title}${n.namespace ? ` (${n.namespace})` : ''}: ${p.text}`);
    const namespaces = [...new Set(nodes.flatMap(n => (n.namespace ? [n.namespace] : [])))].sort();
    const edges = [...this.edges.values()].sort((a, b) => byCodeUnits(edgeKey(a), edgeKey(b)));
    return { name: this.name, namespaces, nodes, edges, problems: [...this.problems].sort() };
  }

  /**
   * kubectl apply keeps the last object of one identity (group, kind,
   * namespace, name), so the first is lost without a word: an error, as
   * synth reports it. The picture shows the one that wins.
   */
  private dedupe(docs: Manifest[]): Manifest[] {
    const seen = new Map<string, Manifest>();
    for (const d of docs) {
      const kind = kindOf(d.doc);
      if (!kind) continue;
      const key = identityOf(d.doc);
      const before = seen.get(key);
      if (before) this.problems.add(`error: ${kind} ${nameOf(d.doc) || '(unnamed)'} is defined twice (${before.file}, ${d.file}): the last one wins`);
      seen.delete(key);
      seen.set(key, d);
    }
    return [...seen.values()];
  }

  private node(n: Omit<GraphNode, 'details' | 'status' | 'problems'> & Partial<Pick<GraphNode, 'details' | 'status' | 'problems'>>): GraphNode {
    const existing = this.nodes.get(n.id);
    if (existing) return existing;
    const created: GraphNode = { details: [], status: 'ok', problems: [], ...n };
    this.nodes.set(created.id, created);
    return created;
  }

  private edge(from: string, to: string, kind: EdgeKind, label = '', status: Status = 'ok'): GraphEdge {
    const key = `${from}|${to}|${kind}`;
    const existing = this.edges.get(key);
    if (existing) {
      if (label && !existing.label.split('\n').includes(label)) existing.label = existing.label ? `${existing.label}\n${label}` : label;
      existing.status = worse(existing.status, status);
      return existing;
    }
    const created: GraphEdge = { from, to, kind, label, status };
    this.edges.set(key, created);
    return created;
  }

  private problem(n: GraphNode, severity: Problem['severity'], text: string): void {
    n.status = worse(n.status, severity);
    if (!n.problems.some(p => p.text === text)) n.problems.push({ severity, text });
  }

  private users(): GraphNode {
    return this.node({ id: USERS_ID, kind: 'users', title: 'Outside users', name: 'users', details: ['browsers, clients'] });
  }

  private addWorkload(entry: WorkloadEntry<Manifest>): void {
    const { kind, namespace } = entry;
    const name = entry.name || '(unnamed)';
    // With an autoscaler the manifest has no replicas on purpose: the autoscaler sets it.
    const replicas = this.autoscaled.get(workloadId(namespace, kind, name)) ?? replicasOf(entry.owner.doc);
    const node = this.node({
      id: workloadId(namespace, kind, name), kind: 'workload', title: `${kind} ${name}`, name, namespace,
      workload: { resource: kind, replicas, ingressIsolated: false, egressIsolated: false },
    });
    const w: Workload = { node, entry, pod: { namespace, labels: entry.labels, ports: entry.ports }, ingressPolicies: [], egressPolicies: [], exposedBy: [] };
    this.workloads.push(w);
    this.workloadOf.set(entry, w);
  }

  private addService(entry: ServiceEntry<Manifest>): void {
    const spec = obj(entry.owner.doc.spec) ?? {};
    const { namespace, type, ports, selector } = entry;
    const name = entry.name || '(unnamed)';
    const headless = str(spec.clusterIP) === 'None';
    const hasSelector = selector !== undefined;
    const externalName = str(spec.externalName);
    const svc = this.node({
      id: serviceId(namespace, name), kind: 'service', title: `Service ${name}`, name, namespace,
      service: { type, headless, ports, selector, externalName },
    });
    svc.details.push(`type ${type}${headless ? ' (headless)' : ''}`);

    if (type === 'ExternalName') {
      if (!externalName) {
        this.problem(svc, 'error', 'type ExternalName without spec.externalName');
        return;
      }
      svc.details.push(`DNS alias of ${externalName}`);
      const ext = this.node({ id: `external:${externalName}`, kind: 'external', title: externalName, name: externalName, details: ['outside the cluster'] });
      this.edge(svc.id, ext.id, 'points-to', 'CNAME');
      return;
    }

    for (const p of ports) svc.details.push(`port ${p.port} -> targetPort ${p.targetPort}/${p.protocol}`);
    if (ports.length === 0 && !headless) this.problem(svc, 'error', 'no ports');

    const entries = this.addEntries(svc, type, ports);

    if (!hasSelector) {
      svc.details.push('no selector: endpoints managed by hand');
      return;
    }
    const matched = this.index.selectedBy(entry).map(e => this.workloadOf.get(e) as Workload);
    if (matched.length === 0) {
      this.problem(svc, 'error', `selector matches no pod in namespace ${namespace}`);
      svc.details.push(`selector: ${describeSelector(selector)}`);
      return;
    }
    for (const w of matched) {
      w.exposedBy.push(...entries);
      const lines: string[] = [];
      let status: Status = 'ok';
      for (const p of ports) {
        const { text, problem } = targetPortText(p, w);
        lines.push(text);
        if (problem) {
          this.problem(svc, problem.severity, problem.text);
          status = worse(status, problem.severity);
        }
      }
      this.edge(svc.id, w.node.id, 'routes', [...new Set(lines)].join('\n'), status);
    }
  }

  /** Node ports and load balancers in front of a Service; returns the entry ids. */
  private addEntries(svc: GraphNode, type: string, ports: ServicePortInfo[]): string[] {
    if (type === 'LoadBalancer') {
      const lb = this.node({
        id: `entry:lb:${svc.namespace}/${svc.name}`, kind: 'entry', title: `LoadBalancer ${svc.name}`, name: svc.name,
        details: ['cloud load balancer', ...ports.map(p => `:${p.port}/${p.protocol}`)],
      });
      this.edge(this.users().id, lb.id, 'reaches');
      this.edge(lb.id, svc.id, 'reaches', ports.map(p => `port ${p.port}`).join('\n'));
      return [lb.id];
    }
    if (type !== 'NodePort') return [];
    const ids: string[] = [];
    for (const p of ports) {
      const id = p.nodePort !== undefined ? `entry:nodeport:${p.nodePort}` : `entry:nodeport:auto:${svc.namespace}/${svc.name}:${p.port}`;
      const entry = this.node({
        id, kind: 'entry', title: p.nodePort !== undefined ? `NodePort ${p.nodePort}` : 'NodePort (auto)', name: String(p.nodePort ?? 'auto'),
        details: [p.nodePort !== undefined ? `any node IP:${p.nodePort}` : 'port picked by the cluster'],
      });
      const claim = p.nodePort === undefined ? undefined : this.nodePorts.claim(p.nodePort, svc, p.protocol);
      if (claim?.problem === 'taken') {
        // Node ports are cluster-wide: two Services cannot share one.
        this.problem(entry, 'error', `node port ${p.nodePort} is claimed by more than one Service`);
      } else if (claim?.problem === 'repeated') {
        this.problem(entry, 'error', `node port ${p.nodePort} is given to two ${claim.protocol} ports of one Service`);
      } else if (claim?.problem === 'out-of-range') {
        this.problem(entry, 'error', `node port ${p.nodePort} is outside ${claim.range}`);
      }
      this.edge(this.users().id, entry.id, 'reaches');
      this.edge(entry.id, svc.id, 'reaches', `port ${p.port}`);
      ids.push(entry.id);
    }
    return ids;
  }

  private addIngress(doc: JsonObject): void {
    const spec = obj(doc.spec) ?? {};
    const namespace = namespaceOf(doc);
    const name = nameOf(doc);
    const ing = this.node({ id: `ingress:${namespace}/${name}`, kind: 'ingress', title: `Ingress ${name}`, name, namespace });
    const className = str(spec.ingressClassName);
    if (className) ing.details.push(`class ${className}`);
    this.edge(this.users().id, ing.id, 'reaches');
    const backends: { route: string; backend: JsonObject | undefined }[] = [];
    if (obj(spec.defaultBackend)) backends.push({ route: '(default)', backend: obj(spec.defaultBackend) });
    for (const rule of objs(spec.rules)) {
      const host = str(rule.host) ?? '*';
      for (const path of objs(obj(rule.http)?.paths)) backends.push({ route: `${host}${str(path.path) ?? '/'}`, backend: obj(path.backend) });
    }
    for (const { route, backend } of backends) {
      const service = obj(backend?.service);
      const svcName = str(service?.name);
      if (!svcName) continue; // resource backends are not drawn
      const port = obj(service?.port);
      const portText = num(port?.number) ?? str(port?.name) ?? '?';
      const id = serviceId(namespace, svcName);
      if (!this.nodes.has(id)) {
        const missing = this.node({ id, kind: 'service', title: `Service ${svcName}`, name: svcName, namespace, details: ['not in these manifests'] });
        this.problem(missing, 'error', `Ingress ${name} routes to it, but no such Service is defined`);
      }
      this.edge(ing.id, id, 'reaches', `${route} -> port ${portText}`);
      for (const w of this.workloads) {
        if (this.edges.has(`${id}|${w.node.id}|routes`)) w.exposedBy.push(ing.id);
      }
    }
  }

  private addSecret(doc: JsonObject): void {
    const namespace = namespaceOf(doc);
    const name = nameOf(doc) || '(unnamed)';
    const keys = [...(this.index.keysOf('Secret', namespace, nameOf(doc)) ?? [])].sort();
    this.node({
      id: secretId(namespace, name), kind: 'secret', title: `Secret ${name}`, name, namespace,
      details: [`type ${str(doc.type) ?? 'Opaque'}`, keys.length > 0 ? `keys: ${keys.join(', ')}` : 'no keys'],
    });
  }

  private secretNode(w: Workload, secretName: string): GraphNode {
    const id = secretId(w.pod.namespace, secretName);
    return this.nodes.get(id) ?? this.node({ id, kind: 'secret', title: `Secret ${secretName}`, name: secretName, namespace: w.pod.namespace, details: ['not in these manifests'] });
  }

  /** The Secrets a workload reads, by the model's references (the ones synth checks). */
  private addSecretReaders(w: Workload): void {
    for (const ref of w.entry.references) {
      if (ref.kind !== 'Secret') continue;
      const s = this.secretNode(w, ref.name);
      const problem = referenceProblem(ref, this.index.keysOf('Secret', w.pod.namespace, ref.name));
      let status: Status = 'ok';
      if (problem?.missing === 'object') {
        // Synth fails on a missing Secret unless it is declared external, which manifests cannot show.
        this.problem(s, 'warning', `read by ${w.node.title} but not defined here: it must be created another way`);
      } else if (problem?.missing === 'keys') {
        for (const key of problem.keys) this.problem(s, 'error', `${w.node.title} reads key "${key}", which this Secret does not have`);
        status = 'error';
      }
      for (const how of readsAs(ref)) this.edge(w.node.id, s.id, 'reads', how, status);
    }
  }

  private addNetworkPolicyEdges(): void {
    const policyNames = (ps: NetworkPolicy[]): string => [...new Set(ps.map(p => p.name))].sort().join(', ');
    for (const dst of this.workloads) {
      const n = dst.node;
      const isolated = dst.ingressPolicies.length > 0;
      if (n.workload) n.workload.ingressIsolated = isolated;
      if (n.workload) n.workload.egressIsolated = dst.egressPolicies.length > 0;
      n.details.push(`replicas: ${n.workload?.replicas ?? '?'}`);
      const rules = dst.ingressPolicies.flatMap(p => p.ingress ?? []);
      // A rule whose named ports the pod does not declare admits nothing.
      const admitsSomePort = (r: JsonObject) => rulePortRangesOn(r, dst.pod).length > 0;
      const anywhereRules = rules.filter(r => rulePeers(r, 'ingress').length === 0 && admitsSomePort(r));
      const fromAnywhere = anywhereRules.length > 0;
      const names = policyNames(dst.ingressPolicies);
      if (!isolated) n.details.push('ingress: open (no NetworkPolicy)');
      else if (rules.length === 0) n.details.push(`ingress: deny all (${names})`);
      else if (fromAnywhere) {
        const ports = anywhereRules.flatMap(r => rulePortRangesOn(r, dst.pod));
        const more = anywhereRules.length < rules.length ? ' + green arrows' : '';
        n.details.push(`ingress: any source on ${rangesText(ports)}${more} (${names})`);
      } else n.details.push(`ingress: only from green arrows (${names})`);
      if (dst.egressPolicies.length > 0) {
        const out = dst.egressPolicies.flatMap(p => p.egress ?? []);
        n.details.push(out.length === 0 ? `egress: deny all (${policyNames(dst.egressPolicies)})` : `egress: only to green arrows (${policyNames(dst.egressPolicies)})`);
      }
      // Address ranges outside the cluster that a policy names.
      for (const p of dst.ingressPolicies) {
        for (const rule of p.ingress ?? []) {
          for (const peer of rulePeers(rule, 'ingress')) {
            const cidr = str(obj(peer.ipBlock)?.cidr);
            if (cidr) this.edge(this.ipBlock(peer).id, n.id, 'allows', rangesText(rulePortRangesOn(rule, dst.pod)));
          }
        }
      }
      if (isolated && dst.exposedBy.length > 0 && !fromAnywhere && !rules.some(r => rulePeers(r, 'ingress').some(x => obj(x.ipBlock) || obj(x.namespaceSelector)))) {
        this.problem(n, 'warning', 'exposed outside the cluster, but its ingress NetworkPolicy admits only pods of this namespace');
      }
    }
    for (const src of this.workloads) {
      for (const p of src.egressPolicies) {
        for (const rule of p.egress ?? []) {
          for (const peer of rulePeers(rule, 'egress')) {
            if (str(obj(peer.ipBlock)?.cidr)) this.edge(src.node.id, this.ipBlock(peer).id, 'allows', rulePortsAsWritten(rule));
          }
        }
      }
      for (const dst of this.workloads) {
        if (src === dst) continue;
        // Between pods that no policy restricts, and for rules that admit every
        // source, an arrow from every workload would say nothing: the node text says it.
        const restrictedSource = src.egressPolicies.length > 0;
        if (dst.ingressPolicies.length === 0 && !restrictedSource) continue;
        // The model's verdict, range by range; from a source no egress policy
        // restricts, what only rules open to every source admit is in the node text.
        const drawn = connectionPorts(this.index.policies, src.pod, dst.pod)
          .filter(r => r.verdict.verdict !== 'refused' && (restrictedSource || r.verdict.ingress.peerNamed || r.verdict.ingress.inDoubt));
        const admitted = drawn.filter(r => r.verdict.verdict === 'admitted');
        if (admitted.length > 0) this.edge(src.node.id, dst.node.id, 'allows', rangesText(admitted));
        const doubtful = drawn.filter(r => r.verdict.verdict === 'in-doubt');
        if (doubtful.length > 0) {
          const doubts = [...new Set(doubtful.flatMap(r => r.verdict.doubts))].sort().map(d => DOUBT_TEXT[d]);
          this.edge(src.node.id, dst.node.id, 'in-doubt', `${rangesText(doubtful)}\nin doubt: ${doubts.join('; ')}`);
        }
      }
    }
  }

  private ipBlock(peer: JsonObject): GraphNode {
    const block = obj(peer.ipBlock) ?? {};
    const cidr = str(block.cidr) ?? '?';
    const except = arr(block.except).map(e => String(e));
    return this.node({
      id: `external:ipblock:${cidr}:${except.join(',')}`, kind: 'external', title: `IP block ${cidr}`, name: cidr,
      details: except.length > 0 ? [`except ${except.join(', ')}`] : [],
    });
  }
}

function flatten(m: Manifest): Manifest[] {
  if (kindOf(m.doc).endsWith('List') && Array.isArray(m.doc.items)) return objs(m.doc.items).map(doc => ({ file: m.file, doc }));
  return [m];
}

function edgeKey(e: GraphEdge): string {
  return `${e.from}|${e.to}|${e.kind}`;
}

export function serviceId(namespace: string, name: string): string {
  return `service:${namespace}/${name}`;
}

export function workloadId(namespace: string, kind: string, name: string): string {
  return `workload:${namespace}/${kind}/${name}`;
}

export function secretId(namespace: string, name: string): string {
  return `secret:${namespace}/${name}`;
}

/**
 * Where a Service port lands on the pods of one workload, by the model's
 * resolution (the one synth checks with): a named targetPort the pods lack,
 * or a number they do not declare among the ports they declare, is an error.
 */
function targetPortText(p: ServicePortInfo, w: Workload): { text: string; problem?: Problem } {
  const r = resolveTargetPort(p, w.pod.ports);
  if (r.ok) return { text: `-> pod port ${r.number}${r.name ? ` (${r.name})` : ''}` };
  if (r.problem === 'no-such-name') {
    return { text: `-> ${p.targetPort} (no such port)`, problem: { severity: 'error', text: `targetPort "${p.targetPort}" is not a named container port of ${w.node.title}` } };
  }
  const has = [...new Set(w.pod.ports.map(c => c.number))].join(', ');
  return { text: `-> pod port ${p.targetPort} (not declared)`, problem: { severity: 'error', text: `targetPort ${p.targetPort} is not a container port of ${w.node.title} (it declares ${has})` } };
}

/** How a workload reads a Secret, one line per place it is read from. */
function readsAs(ref: Reference): string[] {
  const s = ref.source;
  switch (s.type) {
    case 'env': return [`env ${s.env} (key ${ref.keys[0] ?? '?'})`];
    case 'envFrom': return [`envFrom${s.prefix ? ` prefix ${s.prefix}` : ''} (all keys)`];
    case 'volume': return s.mounts.map(m => `volume at ${m.path}`);
    case 'imagePull': return ['image pull'];
  }
}

/** Why an "in doubt" edge may not be a connection, by the model's {@link Doubt}. */
const DOUBT_TEXT: Record<Doubt, string> = {
  'ip-block': 'an ipBlock may cover pod addresses',
  'namespace-labels': 'namespace labels not in these manifests',
};

/** The ports a NetworkPolicy rule admits on `pod`, by the model's resolution (a named port: the pod's port of that name, or nothing). */
function rulePortRangesOn(rule: JsonObject, pod: PodRef): PortRange[] {
  const ports = rulePortsOf(rule);
  return ports === undefined ? POLICY_PROTOCOLS.map(protocol => ({ protocol, first: 1, last: MAX_PORT })) : ports.flatMap(rp => rulePortRanges(rp, pod));
}

/** A rule's ports as written, for a destination outside the cluster (a named port cannot be resolved there). */
function rulePortsAsWritten(rule: JsonObject): string {
  const ports = rulePortsOf(rule);
  if (ports === undefined) return 'any port';
  const named = ports.filter(p => typeof p.port === 'string').map(p => `${p.port}/${p.protocol}`);
  const numbered = ports.filter(p => typeof p.port !== 'string').flatMap(rp => rulePortRanges(rp, { namespace: '', labels: {} }));
  return [...new Set([...rangesLines(numbered), ...named])].sort().join(', ');
}

/**
 * Port ranges as text: `any port` when they cover every port of every
 * protocol, else `5432/TCP`, `8000-8100/TCP` or `all/UDP`, overlapping and
 * neighbouring ranges joined, in code-unit order.
 */
function rangesText(ranges: readonly PortRange[]): string {
  const lines = rangesLines(ranges);
  return POLICY_PROTOCOLS.every(p => lines.includes(`all/${p}`)) ? 'any port' : lines.sort().join(', ');
}

function rangesLines(ranges: readonly PortRange[]): string[] {
  const sorted = [...ranges].sort((a, b) => byCodeUnits(a.protocol, b.protocol) || a.first - b.first);
  // Overlaps first widen a range, so each range is joined to the one before while they touch.
  const joined: PortRange[] = [];
  for (const r of sorted) {
    const before = joined[joined.length - 1];
    if (before && before.protocol === r.protocol && r.first <= before.last + 1) joined[joined.length - 1] = { ...before, last: Math.max(before.last, r.last) };
    else joined.push({ protocol: r.protocol, first: r.first, last: r.last });
  }
  return [...new Set(joined.map(r => (r.first === 1 && r.last === MAX_PORT ? `all/${r.protocol}` : r.first === r.last ? `${r.first}/${r.protocol}` : `${r.first}-${r.last}/${r.protocol}`)))];
}

/** Build the diagram's graph from the manifests of one folder. */
export function buildGraph(name: string, manifests: Manifest[], options: GraphOptions = {}): Graph {
  return new GraphBuilder(name, options).build(manifests);
}

/**
 * Order by UTF-16 code units, like Array.prototype.sort: unlike localeCompare,
 * it does not depend on the machine's locale, so the diagrams do not either.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describeSelector(selector: Labels): string {
  const entries = Object.entries(selector).sort(([a], [b]) => byCodeUnits(a, b));
  return entries.length === 0 ? '(empty)' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** Replica count as a short text: a number where Kubernetes has one, otherwise what decides it. */
function replicasOf(doc: JsonObject): string {
  const spec = obj(doc.spec) ?? {};
  switch (kindOf(doc)) {
    case 'Pod':
      return '1 (bare pod)';
    case 'DaemonSet':
      return 'one per node';
    case 'Job':
      return `${num(spec.completions) ?? 1} completion(s)`;
    case 'CronJob':
      return `schedule ${str(spec.schedule) ?? '?'}`;
    default:
      return String(num(spec.replicas) ?? 1);
  }
}
