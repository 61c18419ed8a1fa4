import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DNS_1035_LABEL, DNS_1123_LABEL, DNS_1123_SUBDOMAIN } from '../core/dns-names';
import { ConfigurationError } from '../core/errors';
import { NodePortRange } from '../core/node-port-range';
import { connectionsOf, ExternalDeclaration, ExternalObjects } from '../core/declarations';

// Manifests are untyped JSON here: every object of the App, whatever made it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** An API object of the App and the JSON it renders to. */
export interface RenderedObject {
  /** The object. */
  readonly construct: ApiObject;
  /** Its manifest, as `toJson()` returns it. */
  readonly json: Json;
}

/** A rendered object as the checks see it. Its path is only worked out for a message. */
class Obj {
  public readonly kind: string;
  public readonly name: string;
  public readonly namespace: string;
  constructor(public readonly construct: IConstruct, json: Json) {
    this.kind = json.kind;
    this.name = json.metadata?.name ?? '';
    this.namespace = json.metadata?.namespace ?? 'default';
  }

  get path(): string {
    return this.construct.node.path;
  }
}

/**
 * The charts of an App. `App.charts` sorts them by building a dependency
 * graph of the whole construct tree on every call; the output does not
 * depend on chart order (each chart has its own file), so a walk does.
 */
export function chartsOf(app: App): Chart[] {
  return app.node.findAll().filter((c): c is Chart => Chart.isChart(c));
}

/** Renders every API object of the App once, in output order (construct tree order). */
export function renderApp(app: App): RenderedObject[] {
  return chartsOf(app).flatMap(chart => renderChart(chart));
}

/**
 * Renders the API objects of one chart in the order `chart.toJson()` uses.
 * For charts without explicit dependencies that is construct tree order;
 * charts with dependencies are left to cdk8s to sort.
 */
export function renderChart(chart: Chart): RenderedObject[] {
  return objectsInOrder(chart).map(construct => ({ construct, json: construct.toJson() }));
}

/**
 * The API objects of one chart in the order `chart.toJson()` writes them.
 * @internal
 */
export function objectsInOrder(chart: Chart): ApiObject[] {
  const nodes = ownNodes(chart);
  // With dependencies, the same topological order cdk8s's own synth uses.
  return nodes.some(c => c.node.dependencies.length > 0)
    ? new DependencyGraph(chart.node).topology().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart)
    : nodes.filter((c): c is ApiObject => ApiObject.isApiObject(c));
}

/** The pod template of a workload: its labels and the ports its containers declare. */
interface PodTemplate {
  readonly owner: Obj;
  readonly labels: Record<string, string>;
  readonly ports: Json[];
}

/** A Service: what the checks need of its spec. */
interface ServiceSpec {
  readonly owner: Obj;
  readonly type?: string;
  readonly selector: Record<string, string>;
  readonly ports: Json[];
}

/** A reference from a pod template to a Secret or ConfigMap, checked once every object is known. */
interface Reference {
  readonly owner: Obj;
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  readonly key?: string;
  readonly where: string;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass',
  'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
// Kinds whose names become DNS labels or are limited to one label.
const NAME_IS_LABEL = new Set(['Namespace', 'Service']);

function fmt(o: Obj, problem: string, fix: string): string {
  const where = o.kind === 'Namespace' || CLUSTER_SCOPED.has(o.kind) ? o.name : `${o.namespace}/${o.name}`;
  return ConfigurationError.format(o.path, `${o.kind} ${where}: ${problem}`, fix);
}

function podTemplateOf(kind: string, json: Json): { labels: Record<string, string>; spec: Json } | undefined {
  switch (kind) {
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return { labels: json.spec?.template?.metadata?.labels ?? {}, spec: json.spec?.template?.spec ?? {} };
    case 'CronJob':
      return { labels: json.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {}, spec: json.spec?.jobTemplate?.spec?.template?.spec ?? {} };
    case 'Pod':
      return { labels: json.metadata?.labels ?? {}, spec: json.spec ?? {} };
    default:
      return undefined;
  }
}

/** Whether `k` is a label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
function isLabelKey(k: string): boolean {
  const slash = k.indexOf('/');
  const name = slash < 0 ? k : k.slice(slash + 1);
  const prefix = slash < 0 ? undefined : k.slice(0, slash);
  return LABEL_NAME.test(name) && name.length <= 63 && (prefix === undefined || (DNS_1123_SUBDOMAIN.test(prefix) && prefix.length <= 253));
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const k of Object.keys(selector)) {
    if (labels[k] !== selector[k]) {
      return false;
    }
  }
  return true;
}

function show(selector: Record<string, string>): string {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
}

function allContainers(spec: Json): Json[] {
  return spec.initContainers === undefined ? spec.containers ?? [] : [...(spec.containers ?? []), ...spec.initContainers];
}

/**
 * Checks the wiring of every object in the App, however it was made (our
 * constructs, cdk8s-plus, raw `imports/` bindings), and returns one message
 * per problem: what is wrong, where (construct path), and the fix.
 *
 * These are the mistakes the API server accepts and that then fail silently
 * at run time: a Service that selects no pod, a targetPort nobody listens on,
 * a reference to a Secret or key that does not exist, colliding node ports.
 *
 * @param rendered the App's objects, when the caller has rendered them already
 * @param constructs the App's constructs (`app.node.findAll()`), when the caller has walked the tree already
 */
export function checkWiring(app: App, rendered: RenderedObject[] = renderApp(app), constructs: IConstruct[] = app.node.findAll()): string[] {
  const checks = new WiringChecks();
  for (const { construct, json } of rendered) {
    checks.add(construct, json);
  }
  return checks.problems(constructs);
}

/**
 * The checks of {@link checkWiring}, fed one rendered object at a time, so a
 * synth can write each manifest as soon as it is rendered: what the checks
 * keep of an object is a few fields, not its whole manifest. Each object is
 * checked on its own as it is added; the checks between objects run in
 * {@link WiringChecks.problems}.
 * @internal
 */
export class WiringChecks {
  private readonly found: string[] = [];
  private readonly objectOf = new Map<IConstruct, Obj>();
  private readonly templates: PodTemplate[] = [];
  private readonly services: ServiceSpec[] = [];
  private readonly references: Reference[] = [];
  // Indexes by namespace and name keep the checks linear in the size of the App.
  // Only the kinds that are referred to by name are indexed, Secrets and ConfigMaps with their keys.
  private readonly byKindNsName = new Map<string, { readonly keys?: ReadonlySet<string> }>();
  private readonly seen = new Map<string, Obj>();
  // A fleet repeats the same labels thousands of times: each distinct key and value is checked once.
  private readonly goodKeys = new Set<string>();
  private readonly goodValues = new Set<string>();
  private readonly goodNamespaces = new Set<string>();

  /** Checks one object on its own (name, namespace, labels, duplicates) and keeps what the checks between objects need. */
  public add(construct: IConstruct, json: Json): void {
    const o = new Obj(construct, json);
    this.objectOf.set(construct, o);
    const t = podTemplateOf(o.kind, json);
    if (t) {
      const ports: Json[] = [];
      for (const c of allContainers(t.spec)) {
        ports.push(...(c.ports ?? []));
      }
      this.templates.push({ owner: o, labels: t.labels, ports });
      this.addReferences(o, t.spec);
    }
    if (o.kind === 'Secret' || o.kind === 'ConfigMap') {
      const keys = new Set([...Object.keys(json.data ?? {}), ...Object.keys(json.stringData ?? {}), ...Object.keys(json.binaryData ?? {})]);
      this.byKindNsName.set(`${o.kind}/${o.namespace}/${o.name}`, { keys });
    } else if (o.kind === 'Service') {
      this.byKindNsName.set(`${o.kind}/${o.namespace}/${o.name}`, {});
      const spec = json.spec ?? {};
      this.services.push({ owner: o, type: spec.type, selector: spec.selector ?? {}, ports: spec.ports ?? [] });
    }

    // Names, label values, duplicates.
    const problems = this.found;
    const apiVersion: string = json.apiVersion ?? '';
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : apiVersion;
    const key = `${group}/${o.kind}/${CLUSTER_SCOPED.has(o.kind) ? '' : o.namespace}/${o.name}`;
    const first = this.seen.get(key);
    if (first) {
      problems.push(fmt(o, `has the same name as the object at ${first.path}, so one would overwrite the other`, 'give one of them another name'));
    }
    this.seen.set(key, o);
    const asLabel = NAME_IS_LABEL.has(o.kind);
    const re = o.kind === 'Service' ? DNS_1035_LABEL : asLabel ? DNS_1123_LABEL : DNS_1123_SUBDOMAIN;
    const max = asLabel ? 63 : 253;
    if (!re.test(o.name) || o.name.length > max) {
      const rule = o.kind === 'Service' ? 'DNS-1035 label' : asLabel ? 'DNS-1123 label' : 'DNS-1123 subdomain';
      problems.push(fmt(o, `name "${o.name}" is not a valid ${rule} (at most ${max} lower-case letters, digits and "-"${o.kind === 'Service' ? ', starting with a letter' : ''})`,
        'rename it, e.g. to lower-case words joined by "-"'));
    }
    if (!CLUSTER_SCOPED.has(o.kind) && json.metadata?.namespace !== undefined && !this.goodNamespaces.has(o.namespace)) {
      if (DNS_1123_LABEL.test(o.namespace) && o.namespace.length <= 63) {
        this.goodNamespaces.add(o.namespace);
      } else {
        problems.push(fmt(o, `namespace "${o.namespace}" is not a valid DNS-1123 label`, 'use lower-case letters, digits and "-", at most 63'));
      }
    }
    for (const labels of t && o.kind !== 'Pod' ? [json.metadata?.labels ?? {}, t.labels] : [json.metadata?.labels ?? {}]) {
      for (const k of Object.keys(labels)) {
        const v = labels[k];
        if (!this.goodKeys.has(k)) {
          if (isLabelKey(k)) {
            this.goodKeys.add(k);
          } else {
            problems.push(fmt(o, `label key "${k}" is not valid`, 'use an optional DNS prefix and "/" followed by at most 63 letters, digits, "-", "_" or "."'));
          }
        }
        if (!this.goodValues.has(v)) {
          if (typeof v === 'string' && LABEL_VALUE.test(v) && v.length <= 63) {
            this.goodValues.add(v);
          } else {
            problems.push(fmt(o, `label ${k}="${v}" is not a valid label value`, 'use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit'));
          }
        }
      }
    }
  }

  /** The Secrets and ConfigMaps a pod spec refers to, but for optional references. */
  private addReferences(owner: Obj, spec: Json): void {
    const refer = (kind: 'Secret' | 'ConfigMap', name: string, key: string | undefined, optional: boolean | undefined, where: string) => {
      if (!optional) {
        this.references.push({ owner, kind, name, key, where });
      }
    };
    for (const c of allContainers(spec)) {
      for (const e of c.env ?? []) {
        const s = e.valueFrom?.secretKeyRef;
        const m = e.valueFrom?.configMapKeyRef;
        if (s) {
          refer('Secret', s.name, s.key, s.optional, `env ${e.name} of container ${c.name}`);
        }
        if (m) {
          refer('ConfigMap', m.name, m.key, m.optional, `env ${e.name} of container ${c.name}`);
        }
      }
      for (const f of c.envFrom ?? []) {
        if (f.secretRef) {
          refer('Secret', f.secretRef.name, undefined, f.secretRef.optional, `envFrom of container ${c.name}`);
        }
        if (f.configMapRef) {
          refer('ConfigMap', f.configMapRef.name, undefined, f.configMapRef.optional, `envFrom of container ${c.name}`);
        }
      }
    }
    for (const v of spec.volumes ?? []) {
      if (v.secret) {
        refer('Secret', v.secret.secretName, undefined, v.secret.optional, `volume ${v.name}`);
        for (const item of v.secret.items ?? []) {
          refer('Secret', v.secret.secretName, item.key, v.secret.optional, `volume ${v.name}`);
        }
      }
      if (v.configMap) {
        refer('ConfigMap', v.configMap.name, undefined, v.configMap.optional, `volume ${v.name}`);
        for (const item of v.configMap.items ?? []) {
          refer('ConfigMap', v.configMap.name, item.key, v.configMap.optional, `volume ${v.name}`);
        }
      }
    }
  }

  /**
   * Every problem found: those of each object, then those between objects
   * (Services, references to Secrets and ConfigMaps, connections by name).
   *
   * @param constructs the App's constructs, for the objects declared external and the connections declared
   */
  public problems(constructs: IConstruct[]): string[] {
    // One walk of the tree for both kinds of declaration.
    const external: ExternalDeclaration[] = [];
    const connections: Array<{ from: IConstruct; service: string }> = [];
    for (const c of constructs) {
      external.push(...ExternalObjects._of(c));
      for (const service of connectionsOf(c)) {
        connections.push({ from: c, service });
      }
    }
    const problems = [...this.found];
    // The cluster's range, as configured on the App (constructs[0] is its root).
    const range = constructs.length > 0 ? NodePortRange.forScope(constructs[0]) : NodePortRange.DEFAULT;
    const templates = this.templates;
    const templatesByNs = groupBy(templates, t => t.owner.namespace);
    const inNamespace = (ns: string) => templatesByNs.get(ns) ?? [];

    // Services: selectors, target ports, node ports.
    const nodePorts = new Map<number, Obj>();
    for (const { owner: svc, type, selector, ports } of this.services) {
      for (const p of ports) {
        if (p.nodePort === undefined) {
          continue;
        }
        const { first, last } = range;
        if (!Number.isInteger(p.nodePort) || p.nodePort < first || p.nodePort > last) {
          problems.push(fmt(svc, `node port ${p.nodePort} is outside the node port range ${first}-${last}`, `choose a node port from ${first} to ${last}, or omit it to let Kubernetes pick one`));
          continue;
        }
        const other = nodePorts.get(p.nodePort);
        if (other) {
          problems.push(fmt(svc, `node port ${p.nodePort} is already used by Service ${other.namespace}/${other.name} (${other.path}); node ports are cluster-wide`,
            'give each Service its own node port, or omit it to let Kubernetes pick one'));
        } else {
          nodePorts.set(p.nodePort, svc);
        }
      }
      if (type === 'ExternalName' || Object.keys(selector).length === 0) {
        continue; // no selector: endpoints are managed by hand or DNS, by design
      }
      const selected = inNamespace(svc.namespace).filter(t => matches(selector, t.labels));
      if (selected.length === 0) {
        const near = inNamespace(svc.namespace).map(t => `${t.owner.kind} ${t.owner.name} (${show(t.labels)})`).join('; ');
        const elsewhere = [...new Set(templates.filter(t => matches(selector, t.labels)).map(t => t.owner.namespace))];
        problems.push(fmt(svc, `selector ${show(selector)} matches no pod template in namespace ${svc.namespace}, so the Service routes nowhere`,
          elsewhere.length > 0 ? `a Service only selects pods of its own namespace, and the matching pods are in ${elsewhere.join(', ')}: put the Service and the workload in one namespace`
            : near ? `make the selector match the pod labels of one of: ${near}` : `add a workload with pod labels ${show(selector)} to namespace ${svc.namespace}`));
        continue;
      }
      const declaredPorts = selected.length === 1 ? selected[0].ports : selected.flatMap(t => t.ports);
      for (const p of ports) {
        const target = p.targetPort ?? p.port;
        const protocol = p.protocol ?? 'TCP';
        const declared = declaredPorts.filter((cp: Json) => (cp.protocol ?? 'TCP') === protocol);
        const ok = typeof target === 'number'
          ? declared.some((cp: Json) => cp.containerPort === target)
          : declared.some((cp: Json) => cp.name === target);
        if (!ok) {
          const list = declared.map((cp: Json) => `${cp.name ?? '-'} (${cp.containerPort})`).join(', ') || 'none';
          problems.push(fmt(svc, `port ${p.port} targets ${typeof target === 'number' ? 'container port' : 'the port named'} ${target}/${protocol}, which no selected container (${selected.map(t => t.owner.name).join(', ')}) declares`,
            `set targetPort to one of the declared ports: ${list}`));
        }
      }
    }

    // References to Secrets and ConfigMaps.
    for (const { owner, kind, name, key, where } of this.references) {
      const defined = this.byKindNsName.get(`${kind}/${owner.namespace}/${name}`);
      let keys: ReadonlySet<string> | undefined;
      if (defined) {
        keys = defined.keys;
      } else {
        const e = external.find(x => x.kind === kind && x.name === name && (x.namespace === undefined || x.namespace === owner.namespace));
        if (!e) {
          problems.push(fmt(owner, `${where} refers to ${kind} ${name}, which the App does not define in namespace ${owner.namespace}`,
            `define the ${kind}, fix the name, or declare it provided outside the App with ExternalObjects.${kind === 'Secret' ? 'secret' : 'configMap'}(scope, '${name}')`));
          continue;
        }
        keys = e.keys ? new Set(e.keys) : undefined;
      }
      if (key !== undefined && keys && !keys.has(key)) {
        problems.push(fmt(owner, `${where} refers to key "${key}" of ${kind} ${name}, which has only: ${[...keys].join(', ') || 'no keys'}`,
          'use one of those keys, or add the key to the object'));
      }
    }

    // Services reached by name.
    for (const { from: c, service } of connections) {
      const workload = this.objectOf.get(c) ?? c.node.findAll().map(x => this.objectOf.get(x)).find(o => o !== undefined);
      const ns = workload?.namespace ?? 'default';
      const exists = this.byKindNsName.has(`Service/${ns}/${service}`)
        || external.some(e => e.kind === 'Service' && e.name === service && (e.namespace === undefined || e.namespace === ns));
      if (!exists) {
        problems.push(ConfigurationError.format(c.node.path, `${workload ? `${workload.kind} ${ns}/${workload.name}` : 'this workload'} reaches the Service "${service}" by name, but no Service "${service}" exists in namespace ${ns}`,
          `add a Service named exactly "${service}" to namespace ${ns} (for an outside host, an ExternalNameService), or ExternalObjects.service(scope, '${service}')`));
      }
    }
    return problems;
  }
}

/** The constructs of a chart, without those of charts nested in it (they write their own file). */
function ownNodes(chart: Chart): IConstruct[] {
  const out: IConstruct[] = [];
  const visit = (c: IConstruct) => {
    out.push(c);
    for (const child of c.node.children) {
      if (!Chart.isChart(child)) {
        visit(child);
      }
    }
  };
  visit(chart);
  return out;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) {
      list.push(item);
    } else {
      out.set(k, [item]);
    }
  }
  return out;
}
