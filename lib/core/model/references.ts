import { JsonObject, obj, objs, str } from './json';
import { containersOf } from './pod-templates';

// The Secrets, ConfigMaps and PersistentVolumeClaims a pod needs, and what happens when one is missing.

/** Where in the pod spec a reference is made. */
export type ReferenceSource =
  | { readonly type: 'env'; readonly container: string; readonly env: string }
  | { readonly type: 'envFrom'; readonly container: string; readonly prefix?: string }
  | { readonly type: 'volume'; readonly volume: string; readonly mounts: ReadonlyArray<{ readonly container: string; readonly path: string }> }
  | { readonly type: 'imagePull' };

/** A reference from a pod spec to a Secret, ConfigMap or PersistentVolumeClaim of its namespace. */
export interface Reference {
  readonly kind: 'Secret' | 'ConfigMap' | 'PersistentVolumeClaim';
  readonly name: string;
  /** The keys it reads; empty when it takes the object whole (envFrom, a volume without items, a claim). */
  readonly keys: string[];
  /**
   * Whether the pod starts without it: `optional: true`, and image pull
   * secrets (the kubelet pulls without a missing one and only warns).
   * A missing object or key of a required reference keeps the pod from starting.
   */
  readonly optional: boolean;
  readonly source: ReferenceSource;
}

/**
 * Every Secret, ConfigMap and PersistentVolumeClaim a pod spec refers to, in
 * spec order: env (`secretKeyRef`, `configMapKeyRef`) and `envFrom` of every
 * container, init containers included; the volumes some container mounts
 * (`secret`, `configMap`, and those of `projected`, with their `items`); the
 * claims of `persistentVolumeClaim` volumes; image pull secrets. A Secret or
 * ConfigMap volume no container mounts is left out: the kubelet skips unused
 * volumes, so what it names is never read. A claim is a reference mounted or
 * not: the scheduler binds every claim of the pod, and does not place a pod
 * whose claim does not exist.
 *
 * @param replaced the volumes the pod's controller replaces: a StatefulSet
 *   gives each pod, under the name of each of its volumeClaimTemplates, a
 *   volume of that pod's own claim (see {@link claimTemplatesOf})
 */
export function referencesOf(podSpec: JsonObject, replaced: readonly string[] = []): Reference[] {
  const out: Reference[] = [];
  const containers = containersOf(podSpec);
  for (const c of containers) {
    const container = str(c.name) ?? '?';
    for (const e of objs(c.env)) {
      const from = obj(e.valueFrom);
      if (from) {
        const source: ReferenceSource = { type: 'env', container, env: str(e.name) ?? '?' };
        keyRef(out, 'Secret', obj(from.secretKeyRef), source);
        keyRef(out, 'ConfigMap', obj(from.configMapKeyRef), source);
      }
    }
    for (const f of objs(c.envFrom)) {
      const source: ReferenceSource = { type: 'envFrom', container, prefix: str(f.prefix) };
      wholeRef(out, 'Secret', obj(f.secretRef), str(obj(f.secretRef)?.name), source);
      wholeRef(out, 'ConfigMap', obj(f.configMapRef), str(obj(f.configMapRef)?.name), source);
    }
  }
  const volumes = replaced.length === 0 ? objs(podSpec.volumes) : objs(podSpec.volumes).filter(v => !replaced.includes(str(v.name) ?? ''));
  if (volumes.length > 0) {
    const mounts = new Map<string, Array<{ container: string; path: string }>>();
    const note = (container: JsonObject, name: unknown, at: unknown) => {
      const list = mounts.get(str(name) ?? '');
      const use = { container: str(container.name) ?? '?', path: str(at) ?? '?' };
      if (list) {
        list.push(use);
      } else {
        mounts.set(str(name) ?? '', [use]);
      }
    };
    // A raw block device (volumeDevices) uses its volume as a mount does.
    for (const c of containers) {
      for (const m of objs(c.volumeMounts)) {
        note(c, m.name, m.mountPath);
      }
      for (const d of objs(c.volumeDevices)) {
        note(c, d.name, d.devicePath);
      }
    }
    for (const v of volumes) {
      const volume = str(v.name) ?? '';
      const mounted = mounts.get(volume);
      const claim = obj(v.persistentVolumeClaim);
      const claimName = str(claim?.claimName);
      if (claim && claimName) {
        out.push({ kind: 'PersistentVolumeClaim', name: claimName, keys: [], optional: false, source: { type: 'volume', volume, mounts: mounted ?? [] } });
      }
      if (!mounted) {
        continue;
      }
      const source: ReferenceSource = { type: 'volume', volume, mounts: mounted };
      const secret = obj(v.secret);
      wholeRef(out, 'Secret', secret, str(secret?.secretName), source);
      wholeRef(out, 'ConfigMap', obj(v.configMap), str(obj(v.configMap)?.name), source);
      for (const p of objs(obj(v.projected)?.sources)) {
        wholeRef(out, 'Secret', obj(p.secret), str(obj(p.secret)?.name), source);
        wholeRef(out, 'ConfigMap', obj(p.configMap), str(obj(p.configMap)?.name), source);
      }
    }
  }
  for (const ref of objs(podSpec.imagePullSecrets)) {
    const name = str(ref.name);
    if (name) {
      out.push({ kind: 'Secret', name, keys: [], optional: true, source: { type: 'imagePull' } });
    }
  }
  return out;
}

function keyRef(out: Reference[], kind: Reference['kind'], ref: JsonObject | undefined, source: ReferenceSource): void {
  const name = str(ref?.name);
  if (ref && name) {
    const key = str(ref.key);
    out.push({ kind, name, keys: key === undefined ? [] : [key], optional: ref.optional === true, source });
  }
}

/** A reference to a whole object, or to the `items` it lists (a volume's keys). */
function wholeRef(out: Reference[], kind: Reference['kind'], ref: JsonObject | undefined, name: string | undefined, source: ReferenceSource): void {
  if (ref && name) {
    const keys = objs(ref.items).flatMap(i => (typeof i.key === 'string' ? [i.key] : []));
    out.push({ kind, name, keys, optional: ref.optional === true, source });
  }
}

/**
 * The names of a StatefulSet's volumeClaimTemplates. For each, the controller
 * makes one claim per pod, `<template>-<statefulset>-<ordinal>`, and gives
 * the pod a volume of the template's name that mounts it, in place of any
 * volume of that name in its pod template.
 */
export function claimTemplatesOf(statefulSet: JsonObject): string[] {
  return objs(obj(statefulSet.spec)?.volumeClaimTemplates).map(t => str(obj(t.metadata)?.name) ?? '').filter(n => n !== '');
}

/** The keys a Secret or ConfigMap defines (`data`, `stringData`, `binaryData`). */
export function keysOf(json: JsonObject): string[] {
  const keys = new Set<string>();
  for (const field of ['data', 'stringData', 'binaryData']) {
    for (const k of Object.keys(obj(json[field]) ?? {})) {
      keys.add(k);
    }
  }
  return [...keys];
}

/** What is wrong with a required reference, given the keys of the object it names (undefined: no such object; null: keys unknown). */
export type ReferenceProblem = { readonly missing: 'object' } | { readonly missing: 'keys'; readonly keys: string[] };

/**
 * Checks one reference against what it refers to. An optional reference is
 * never a problem; a required one needs the object and every key it reads.
 * @param keys the keys the object holds; `undefined` when there is no such
 *   object, `null` when it exists with keys unknown (provided outside the App)
 */
export function referenceProblem(ref: Reference, keys: ReadonlySet<string> | null | undefined): ReferenceProblem | undefined {
  if (ref.optional) {
    return undefined;
  }
  if (keys === undefined) {
    return { missing: 'object' };
  }
  const missing = keys === null ? [] : ref.keys.filter(k => !keys.has(k));
  return missing.length > 0 ? { missing: 'keys', keys: missing } : undefined;
}
