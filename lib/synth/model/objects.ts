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
  const kind = kindOf(json);
  const apiVersion = str(obj(json)?.apiVersion) ?? '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return `${group}/${kind}/${isClusterScoped(kind) ? '' : namespaceOf(json)}/${nameOf(json)}`;
}
