/**
 * Small, typed accessors over untyped manifest documents, and the Kubernetes
 * matching rules the diagram relies on (label selectors, pod templates).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Labels = Record<string, string>;

/** One document of a manifest file, with the file it came from. */
export interface Manifest {
  readonly file: string;
  readonly doc: JsonObject;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}

export function arr(v: unknown): Json[] {
  return Array.isArray(v) ? (v as Json[]) : [];
}

export function objs(v: unknown): JsonObject[] {
  return arr(v).filter(isObject);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A port reference as Kubernetes allows it: a number or a port name. */
export function portRef(v: unknown): number | string | undefined {
  return num(v) ?? str(v);
}

export function labels(v: unknown): Labels {
  const out: Labels = {};
  const o = obj(v);
  if (!o) return out;
  for (const [k, val] of Object.entries(o)) {
    // YAML may read `version: 1` as a number; Kubernetes labels are strings.
    if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

export function kindOf(doc: JsonObject): string {
  return str(doc.kind) ?? '';
}

export function nameOf(doc: JsonObject): string {
  return str(obj(doc.metadata)?.name) ?? '(unnamed)';
}

/** Objects without a namespace land in the namespace kubectl applies them to; the diagram calls it `default`. */
export function namespaceOf(doc: JsonObject): string {
  return str(obj(doc.metadata)?.namespace) ?? 'default';
}

/** Selector of a Service: a plain map. An empty map means "no selector" to Kubernetes. */
export function matchesMap(selector: Labels, podLabels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => podLabels[k] === v);
}

/**
 * A metav1.LabelSelector (matchLabels and matchExpressions). An empty selector
 * matches everything; `undefined` (absent) is the caller's decision.
 */
export function matchesSelector(selector: JsonObject, target: Labels): boolean {
  if (!matchesMap(labels(selector.matchLabels), target)) return false;
  for (const expr of objs(selector.matchExpressions)) {
    const key = str(expr.key) ?? '';
    const values = arr(expr.values).map(v => String(v));
    const has = Object.prototype.hasOwnProperty.call(target, key);
    switch (str(expr.operator)) {
      case 'In':
        if (!has || !values.includes(target[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(target[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        // The API server rejects unknown operators; match nothing rather than guess.
        return false;
    }
  }
  return true;
}

/**
 * Order by UTF-16 code units, like Array.prototype.sort: unlike localeCompare,
 * it does not depend on the machine's locale, so the diagrams do not either.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function describeSelector(selector: Labels): string {
  const entries = Object.entries(selector).sort(([a], [b]) => byCodeUnits(a, b));
  return entries.length === 0 ? '(empty)' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** Kinds whose objects run pods, and where their pod template lives. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod'] as const;

export function isWorkloadKind(kind: string): boolean {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

/** The pod template (metadata + spec) of a workload, or the Pod itself. */
export function podTemplate(doc: JsonObject): { labels: Labels; spec: JsonObject } {
  const kind = kindOf(doc);
  if (kind === 'Pod') return { labels: labels(obj(doc.metadata)?.labels), spec: obj(doc.spec) ?? {} };
  const spec = kind === 'CronJob' ? obj(obj(obj(doc.spec)?.jobTemplate)?.spec) : obj(doc.spec);
  const template = obj(spec?.template);
  return { labels: labels(obj(template?.metadata)?.labels), spec: obj(template?.spec) ?? {} };
}

/** Replica count as a short text: a number where Kubernetes has one, otherwise what decides it. */
export function replicasOf(doc: JsonObject): string {
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

export interface ContainerPort {
  readonly container: string;
  readonly port: number;
  readonly name?: string;
  readonly protocol: string;
}

export function containersOf(podSpec: JsonObject): JsonObject[] {
  return [...objs(podSpec.initContainers), ...objs(podSpec.containers)];
}

export function containerPorts(podSpec: JsonObject): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of objs(podSpec.containers)) {
    for (const p of objs(c.ports)) {
      const port = num(p.containerPort);
      if (port === undefined) continue;
      out.push({ container: str(c.name) ?? '?', port, name: str(p.name), protocol: str(p.protocol) ?? 'TCP' });
    }
  }
  return out;
}
