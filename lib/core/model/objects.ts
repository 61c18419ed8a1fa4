import { Json, obj, str } from './json';

// Which object a manifest is: its kind, name, namespace and identity.

/** Kinds that live outside any namespace (a namespace written on them is ignored by the API server). */
const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass',
  'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

export function kindOf(json: Json): string {
  return str(obj(json)?.kind) ?? '';
}

export function nameOf(json: Json): string {
  return str(obj(obj(json)?.metadata)?.name) ?? '';
}

/** An object without a namespace lands in the namespace it is applied to: `default`, as kubectl applies it. */
export function namespaceOf(json: Json): string {
  return str(obj(obj(json)?.metadata)?.namespace) ?? 'default';
}

/**
 * What the API server knows an object by: API group, kind, namespace (for
 * namespaced kinds) and name. The version is not part of it (`apps/v1` and
 * `apps/v1beta2` name one Deployment), so two manifests with one identity
 * are one object, and applying both keeps only the last.
 */
export function identityOf(json: Json): string {
  return identity(str(obj(json)?.apiVersion) ?? '', kindOf(json), namespaceOf(json), nameOf(json));
}

/** What every object is known by, read once. */
export interface ObjectHeader {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** `default` when unset (see {@link namespaceOf}). */
  readonly namespace: string;
}

export function headerOf(json: Json): ObjectHeader {
  const o = obj(json);
  const metadata = obj(o?.metadata);
  return { apiVersion: str(o?.apiVersion) ?? '', kind: str(o?.kind) ?? '', name: str(metadata?.name) ?? '', namespace: str(metadata?.namespace) ?? 'default' };
}

/** {@link identityOf} from fields already read (synth reads them once for every object of a fleet). */
export function identity(apiVersion: string, kind: string, namespace: string, name: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  // Joined, not concatenated: a concatenation is a chain of string pieces, kept beside the flat copy
  // a Map makes to hash it, and the checks keep one identity for every object of a fleet.
  return [group, kind, isClusterScoped(kind) ? '' : namespace, name].join('/');
}
