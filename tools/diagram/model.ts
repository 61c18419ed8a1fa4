/**
 * The graph a topology diagram is drawn from, built from the manifests of one
 * dist/ folder. Everything the picture claims is decided here, with Kubernetes
 * semantics, so that tests can check it without looking at pixels:
 *
 * - a Service is joined to a workload only where its selector matches the pod
 *   template labels in the same namespace; a selector that matches nothing is an error;
 * - outside users reach NodePort and LoadBalancer Services (and Ingresses);
 * - pod-to-pod "may connect" edges follow NetworkPolicy: a pod selected by no
 *   Ingress policy accepts every source, otherwise only peers matched by some rule
 *   (and a pod selected by an Egress policy sends only where some rule lets it);
 * - Secrets are joined to the workloads that read them (secretKeyRef, envFrom,
 *   volumes, projected volumes, imagePullSecrets);
 * - ExternalName Services point at a host outside the cluster.
 */
import {
  arr, byCodeUnits, containerPorts, ContainerPort, containersOf, describeSelector, isWorkloadKind, JsonObject, kindOf, Labels, labels,
  Manifest, matchesMap, matchesSelector, nameOf, namespaceOf, num, obj, objs, podTemplate, portRef, replicasOf, str,
} from './k8s';

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
  | 'reads' // workload -> Secret it reads
  | 'points-to'; // ExternalName Service -> outside host

export interface ServicePortInfo {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly nodePort?: number;
  readonly protocol: string;
}

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
  readonly namespace: string;
  readonly podLabels: Labels;
  readonly podSpec: JsonObject;
  readonly ports: ContainerPort[];
  readonly ingressPolicies: Policy[];
  readonly egressPolicies: Policy[];
  /** Reached from outside the cluster through a NodePort, LoadBalancer or Ingress. */
  exposedBy: string[];
}

interface Policy {
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: JsonObject;
  readonly ingress?: JsonObject[];
  readonly egress?: JsonObject[];
}

/** A set of `port/PROTOCOL` strings, or every port. */
type Ports = 'all' | Set<string>;

const NODE_PORT_RANGE = [30000, 32767] as const;

const worse = (a: Status, b: Status): Status => (a === 'error' || b === 'error' ? 'error' : a === 'warning' || b === 'warning' ? 'warning' : 'ok');

class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge>();
  private readonly problems = new Set<string>();
  private readonly namespaceLabels = new Map<string, Labels>();
  private readonly workloads: Workload[] = [];
  private readonly policies: Policy[] = [];
  /** Keys of the Secrets these manifests define, by node id. */
  private readonly secretKeys = new Map<string, string[]>();
  /** The pod count of autoscaled workloads (`autoscaled 2-5`), by node id. */
  private readonly autoscaled = new Map<string, string>();

  constructor(private readonly name: string) {}

  build(manifests: Manifest[]): Graph {
    const docs = this.dedupe(manifests.flatMap(m => flatten(m)));
    for (const d of docs) {
      if (kindOf(d.doc) === 'Namespace') {
        this.namespaceLabels.set(nameOf(d.doc), { ...labels(obj(d.doc.metadata)?.labels), 'kubernetes.io/metadata.name': nameOf(d.doc) });
      }
    }
    const byKind = (k: string): JsonObject[] => docs.filter(d => kindOf(d.doc) === k).map(d => d.doc);
    for (const hpa of byKind('HorizontalPodAutoscaler')) {
      const spec = obj(hpa.spec) ?? {};
      const ref = obj(spec.scaleTargetRef) ?? {};
      this.autoscaled.set(workloadId(namespaceOf(hpa), str(ref.kind) ?? '', str(ref.name) ?? ''), `autoscaled ${num(spec.minReplicas) ?? 1}-${num(spec.maxReplicas) ?? '?'}`);
    }
    for (const d of docs) if (isWorkloadKind(kindOf(d.doc))) this.addWorkload(d.doc);
    for (const d of byKind('NetworkPolicy')) this.addPolicy(d);
    for (const w of this.workloads) {
      w.ingressPolicies.push(...this.policies.filter(p => p.ingress && p.namespace === w.namespace && matchesSelector(p.podSelector, w.podLabels)));
      w.egressPolicies.push(...this.policies.filter(p => p.egress && p.namespace === w.namespace && matchesSelector(p.podSelector, w.podLabels)));
    }
    for (const p of this.policies) {
      if (!this.workloads.some(w => w.namespace === p.namespace && matchesSelector(p.podSelector, w.podLabels))) {
        this.problems.add(`warning: NetworkPolicy ${p.name} (${p.namespace}): its podSelector selects no pod in these manifests`);
      }
    }
    for (const d of byKind('Service')) this.addService(d);
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

  /** kubectl apply keeps the last object of a kind/namespace/name; say so when a folder defines one twice. */
  private dedupe(docs: Manifest[]): Manifest[] {
    const seen = new Map<string, Manifest>();
    for (const d of docs) {
      const kind = kindOf(d.doc);
      if (!kind) continue;
      const key = `${kind}/${kind === 'Namespace' ? '' : namespaceOf(d.doc)}/${nameOf(d.doc)}`;
      const before = seen.get(key);
      if (before) this.problems.add(`warning: ${kind} ${nameOf(d.doc)} is defined twice (${before.file}, ${d.file}): the last one wins`);
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

  private nsLabels(namespace: string): Labels {
    return this.namespaceLabels.get(namespace) ?? { 'kubernetes.io/metadata.name': namespace };
  }

  private users(): GraphNode {
    return this.node({ id: USERS_ID, kind: 'users', title: 'Outside users', name: 'users', details: ['browsers, clients'] });
  }

  private addWorkload(doc: JsonObject): void {
    const kind = kindOf(doc);
    const namespace = namespaceOf(doc);
    const name = nameOf(doc);
    const { labels: podLabels, spec: podSpec } = podTemplate(doc);
    // With an autoscaler the manifest has no replicas on purpose: the autoscaler sets it.
    const replicas = this.autoscaled.get(workloadId(namespace, kind, name)) ?? replicasOf(doc);
    const node = this.node({
      id: workloadId(namespace, kind, name), kind: 'workload', title: `${kind} ${name}`, name, namespace,
      workload: { resource: kind, replicas, ingressIsolated: false, egressIsolated: false },
    });
    this.workloads.push({ node, namespace, podLabels, podSpec, ports: containerPorts(podSpec), ingressPolicies: [], egressPolicies: [], exposedBy: [] });
  }

  private addPolicy(doc: JsonObject): void {
    const spec = obj(doc.spec) ?? {};
    const declared = arr(spec.policyTypes).map(t => String(t));
    // Without policyTypes, Ingress always applies and Egress only when the policy has egress rules.
    const types = declared.length > 0 ? declared : ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])];
    this.policies.push({
      name: nameOf(doc),
      namespace: namespaceOf(doc),
      podSelector: obj(spec.podSelector) ?? {},
      ingress: types.includes('Ingress') ? objs(spec.ingress) : undefined,
      egress: types.includes('Egress') ? objs(spec.egress) : undefined,
    });
  }

  private addService(doc: JsonObject): void {
    const spec = obj(doc.spec) ?? {};
    const namespace = namespaceOf(doc);
    const name = nameOf(doc);
    const type = str(spec.type) ?? 'ClusterIP';
    const headless = str(spec.clusterIP) === 'None';
    const ports: ServicePortInfo[] = objs(spec.ports).map(p => {
      const port = num(p.port) ?? 0;
      return { name: str(p.name), port, targetPort: portRef(p.targetPort) ?? port, nodePort: num(p.nodePort), protocol: str(p.protocol) ?? 'TCP' };
    });
    const selector = labels(spec.selector);
    const hasSelector = Object.keys(selector).length > 0;
    const externalName = str(spec.externalName);
    const svc = this.node({
      id: serviceId(namespace, name), kind: 'service', title: `Service ${name}`, name, namespace,
      service: { type, headless, ports, selector: hasSelector ? selector : undefined, externalName },
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
    const matched = this.workloads.filter(w => w.namespace === namespace && matchesMap(selector, w.podLabels));
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
        const { text, problem } = resolveTargetPort(p, w);
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
      const existed = this.nodes.has(id);
      const entry = this.node({
        id, kind: 'entry', title: p.nodePort !== undefined ? `NodePort ${p.nodePort}` : 'NodePort (auto)', name: String(p.nodePort ?? 'auto'),
        details: [p.nodePort !== undefined ? `any node IP:${p.nodePort}` : 'port picked by the cluster'],
      });
      if (existed) {
        // Node ports are cluster-wide: two Services cannot share one.
        this.problem(entry, 'error', `node port ${p.nodePort} is claimed by more than one Service`);
      }
      if (p.nodePort !== undefined && (p.nodePort < NODE_PORT_RANGE[0] || p.nodePort > NODE_PORT_RANGE[1])) {
        this.problem(entry, 'error', `node port ${p.nodePort} is outside ${NODE_PORT_RANGE[0]}-${NODE_PORT_RANGE[1]}`);
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
    const name = nameOf(doc);
    const keys = [...new Set([...Object.keys(obj(doc.data) ?? {}), ...Object.keys(obj(doc.stringData) ?? {})])].sort();
    this.secretKeys.set(secretId(namespace, name), keys);
    this.node({
      id: secretId(namespace, name), kind: 'secret', title: `Secret ${name}`, name, namespace,
      details: [`type ${str(doc.type) ?? 'Opaque'}`, keys.length > 0 ? `keys: ${keys.join(', ')}` : 'no keys'],
    });
  }

  private secretNode(w: Workload, secretName: string, optional: boolean): GraphNode {
    const id = secretId(w.namespace, secretName);
    if (this.nodes.has(id)) return this.nodes.get(id) as GraphNode;
    const s = this.node({ id, kind: 'secret', title: `Secret ${secretName}`, name: secretName, namespace: w.namespace, details: ['not in these manifests'] });
    if (!optional) this.problem(s, 'warning', `read by ${w.node.title} but not defined here: it must be created another way`);
    return s;
  }

  private addSecretReaders(w: Workload): void {
    const spec = w.podSpec;
    const read = (secretName: string | undefined, how: string, optional: boolean, key?: string): void => {
      if (!secretName) return;
      const s = this.secretNode(w, secretName, optional);
      let status: Status = 'ok';
      const keys = this.secretKeys.get(s.id);
      if (key !== undefined && keys !== undefined && !keys.includes(key) && !optional) {
        this.problem(s, 'error', `${w.node.title} reads key "${key}", which this Secret does not have`);
        status = 'error';
      }
      this.edge(w.node.id, s.id, 'reads', how, status);
    };
    const volumes = new Map(objs(spec.volumes).map(v => [str(v.name) ?? '', v]));
    for (const c of containersOf(spec)) {
      for (const e of objs(c.env)) {
        const ref = obj(obj(e.valueFrom)?.secretKeyRef);
        if (ref) read(str(ref.name), `env ${str(e.name) ?? '?'} (key ${str(ref.key) ?? '?'})`, ref.optional === true, str(ref.key));
      }
      for (const e of objs(c.envFrom)) {
        const ref = obj(e.secretRef);
        if (ref) read(str(ref.name), `envFrom${str(e.prefix) ? ` prefix ${str(e.prefix)}` : ''} (all keys)`, ref.optional === true);
      }
      for (const m of objs(c.volumeMounts)) {
        const v = volumes.get(str(m.name) ?? '');
        if (!v) continue;
        const where = `volume at ${str(m.mountPath) ?? '?'}`;
        const secret = obj(v.secret);
        if (secret) read(str(secret.secretName), where, secret.optional === true);
        for (const source of objs(obj(v.projected)?.sources)) {
          const ps = obj(source.secret);
          if (ps) read(str(ps.name), where, ps.optional === true);
        }
      }
    }
    for (const ref of objs(spec.imagePullSecrets)) read(str(ref.name), 'image pull', false);
  }

  private peerMatches(peer: JsonObject, policyNamespace: string, target: Workload): boolean {
    const podSelector = obj(peer.podSelector);
    const namespaceSelector = obj(peer.namespaceSelector);
    if (!podSelector && !namespaceSelector) return false; // ipBlock (or an invalid peer): not a pod
    if (namespaceSelector) {
      if (!matchesSelector(namespaceSelector, this.nsLabels(target.namespace))) return false;
    } else if (target.namespace !== policyNamespace) {
      return false;
    }
    return podSelector ? matchesSelector(podSelector, target.podLabels) : true;
  }

  /**
   * Ports one side's policies let through between `peer` and the pods they
   * select; undefined when none. `namedPeersOnly` leaves out rules that admit
   * every source (their ports are told in the node's text instead of one arrow
   * from every workload).
   */
  private allowedPorts(policies: Policy[], direction: 'ingress' | 'egress', peer: Workload, dst: Workload, namedPeersOnly = false): Ports | undefined {
    if (policies.length === 0) return namedPeersOnly ? undefined : 'all';
    let allowed: Ports | undefined;
    for (const p of policies) {
      for (const rule of p[direction] ?? []) {
        const peers = objs(direction === 'ingress' ? rule.from : rule.to);
        if (peers.length === 0 ? namedPeersOnly : !peers.some(x => this.peerMatches(x, p.namespace, peer))) continue;
        allowed = unionPorts(allowed, rulePorts(rule, dst));
      }
    }
    return allowed;
  }

  private addNetworkPolicyEdges(): void {
    const policyNames = (ps: Policy[]): string => [...new Set(ps.map(p => p.name))].sort().join(', ');
    for (const dst of this.workloads) {
      const n = dst.node;
      const isolated = dst.ingressPolicies.length > 0;
      if (n.workload) n.workload.ingressIsolated = isolated;
      if (n.workload) n.workload.egressIsolated = dst.egressPolicies.length > 0;
      n.details.push(`replicas: ${n.workload?.replicas ?? '?'}`);
      const rules = dst.ingressPolicies.flatMap(p => p.ingress ?? []);
      const anywhereRules = rules.filter(r => objs(r.from).length === 0);
      const fromAnywhere = anywhereRules.length > 0;
      const names = policyNames(dst.ingressPolicies);
      if (!isolated) n.details.push('ingress: open (no NetworkPolicy)');
      else if (rules.length === 0) n.details.push(`ingress: deny all (${names})`);
      else if (fromAnywhere) {
        const ports = anywhereRules.map(r => rulePorts(r, dst)).reduce<Ports | undefined>((a, b) => unionPorts(a, b), undefined) ?? 'all';
        const more = anywhereRules.length < rules.length ? ' + green arrows' : '';
        n.details.push(`ingress: any source on ${portsText(ports)}${more} (${names})`);
      } else n.details.push(`ingress: only from green arrows (${names})`);
      if (dst.egressPolicies.length > 0) {
        const out = dst.egressPolicies.flatMap(p => p.egress ?? []);
        n.details.push(out.length === 0 ? `egress: deny all (${policyNames(dst.egressPolicies)})` : `egress: only to green arrows (${policyNames(dst.egressPolicies)})`);
      }
      // Address ranges outside the cluster that a policy names.
      for (const p of dst.ingressPolicies) {
        for (const rule of p.ingress ?? []) {
          for (const peer of objs(rule.from)) {
            const cidr = str(obj(peer.ipBlock)?.cidr);
            if (cidr) this.edge(this.ipBlock(peer).id, n.id, 'allows', portsText(rulePorts(rule, dst)));
          }
        }
      }
      if (isolated && dst.exposedBy.length > 0 && !fromAnywhere && !rules.some(r => objs(r.from).some(x => obj(x.ipBlock) || obj(x.namespaceSelector)))) {
        this.problem(n, 'warning', 'exposed outside the cluster, but its ingress NetworkPolicy admits only pods of this namespace');
      }
    }
    for (const src of this.workloads) {
      for (const p of src.egressPolicies) {
        for (const rule of p.egress ?? []) {
          for (const peer of objs(rule.to)) {
            if (str(obj(peer.ipBlock)?.cidr)) this.edge(src.node.id, this.ipBlock(peer).id, 'allows', portsText(rulePorts(rule, undefined)));
          }
        }
      }
      for (const dst of this.workloads) {
        if (src === dst) continue;
        // Between pods that no policy restricts, and for rules that admit every
        // source, an arrow from every workload would say nothing: the node text says it.
        const restrictedSource = src.egressPolicies.length > 0;
        if (dst.ingressPolicies.length === 0 && !restrictedSource) continue;
        const inbound = this.allowedPorts(dst.ingressPolicies, 'ingress', src, dst, !restrictedSource);
        const outbound = this.allowedPorts(src.egressPolicies, 'egress', dst, dst);
        const ports = intersectPorts(inbound, outbound);
        if (ports === undefined) continue;
        this.edge(src.node.id, dst.node.id, 'allows', portsText(ports));
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
 * Where a Service port lands on the pods of one workload. A named targetPort
 * that no container declares sends nowhere (error); a number that no container
 * declares may still work if the process listens there, so it is a warning.
 */
function resolveTargetPort(p: ServicePortInfo, w: Workload): { text: string; problem?: Problem } {
  if (typeof p.targetPort === 'string') {
    const named = w.ports.find(c => c.name === p.targetPort);
    if (!named) {
      return { text: `-> ${p.targetPort} (no such port)`, problem: { severity: 'error', text: `targetPort "${p.targetPort}" is not a named container port of ${w.node.title}` } };
    }
    return { text: `-> pod port ${named.port} (${named.name})` };
  }
  const declared = w.ports.filter(c => c.port === p.targetPort);
  if (w.ports.length > 0 && declared.length === 0) {
    const has = [...new Set(w.ports.map(c => c.port))].join(', ');
    return {
      text: `-> pod port ${p.targetPort} (not declared)`,
      problem: { severity: 'warning', text: `targetPort ${p.targetPort} is not a container port of ${w.node.title} (it declares ${has})` },
    };
  }
  const names = declared.flatMap(c => (c.name ? [c.name] : []));
  return { text: `-> pod port ${p.targetPort}${names.length > 0 ? ` (${names[0]})` : ''}` };
}

/** The ports of a NetworkPolicy rule, named ports resolved against the destination pods where known. */
function rulePorts(rule: JsonObject, dst: Workload | undefined): Ports {
  const ports = objs(rule.ports);
  if (ports.length === 0) return 'all';
  const out = new Set<string>();
  for (const p of ports) {
    const protocol = str(p.protocol) ?? 'TCP';
    const ref = portRef(p.port);
    if (ref === undefined) {
      out.add(`all/${protocol}`);
      continue;
    }
    const resolved = typeof ref === 'string' ? (dst?.ports.find(c => c.name === ref)?.port ?? ref) : ref;
    const end = num(p.endPort);
    out.add(`${resolved}${end !== undefined ? `-${end}` : ''}/${protocol}`);
  }
  return out;
}

function unionPorts(a: Ports | undefined, b: Ports): Ports {
  if (a === undefined) return b;
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}

/** Both sides must allow a connection. Port ranges are compared as written (an approximation). */
function intersectPorts(a: Ports | undefined, b: Ports | undefined): Ports | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (a === 'all') return b;
  if (b === 'all') return a;
  const both = new Set([...a].filter(p => b.has(p) || b.has(`all/${p.split('/')[1]}`)));
  for (const p of b) if (a.has(`all/${p.split('/')[1]}`)) both.add(p);
  return both.size > 0 ? both : undefined;
}

function portsText(ports: Ports): string {
  return ports === 'all' ? 'any port' : [...ports].sort().join(', ');
}

/** Build the diagram's graph from the manifests of one folder. */
export function buildGraph(name: string, manifests: Manifest[]): Graph {
  return new GraphBuilder(name).build(manifests);
}
