import { Json, JsonObject, Labels, labels, num, obj, objs, str } from './json';
import { kindOf } from './objects';

// The pods a workload runs: where each kind keeps its pod template, the
// containers of a pod and the ports they declare.

/** Kinds whose objects run pods. */
export const WORKLOAD_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod'];
const WORKLOADS = new Set(WORKLOAD_KINDS);

export function isWorkloadKind(kind: string): boolean {
  return WORKLOADS.has(kind);
}

/** A port a container of the pod declares. */
export interface DeclaredPort {
  /** The container that declares it. */
  readonly container: string;
  readonly number: number;
  readonly name?: string;
  /** TCP unless the manifest says otherwise. */
  readonly protocol: string;
}

/** The pod template of a workload, or a bare Pod. */
export interface PodTemplate {
  /** The template's metadata (the Pod's own, for a bare Pod), as in the manifest. */
  readonly metadata: JsonObject;
  /** The labels its pods carry. */
  readonly labels: Labels;
  /** The pod spec, as in the manifest. */
  readonly spec: JsonObject;
  /** Every container, init containers first (the order they start in). */
  readonly containers: JsonObject[];
  /** The ports the pod serves on (see {@link declaredPortsOf}). */
  readonly ports: DeclaredPort[];
}

/** The pod template of an object of a workload kind; undefined for any other kind. */
export function podTemplateOf(json: Json): PodTemplate | undefined {
  const o = obj(json);
  const kind = kindOf(json);
  if (!o || !isWorkloadKind(kind)) {
    return undefined;
  }
  let template: JsonObject | undefined;
  if (kind === 'Pod') {
    template = o;
  } else if (kind === 'CronJob') {
    template = obj(obj(obj(obj(o.spec)?.jobTemplate)?.spec)?.template);
  } else {
    template = obj(obj(o.spec)?.template);
  }
  const metadata = obj(template?.metadata) ?? {};
  const spec = obj(template?.spec) ?? {};
  return { metadata, labels: labels(metadata.labels), spec, containers: containersOf(spec), ports: declaredPortsOf(spec) };
}

/**
 * Every container of a pod spec, init containers included: they read the
 * same Secrets and ConfigMaps, mount the same volumes and are held to the
 * same rules as the others.
 */
export function containersOf(podSpec: JsonObject): JsonObject[] {
  const init = objs(podSpec.initContainers);
  const main = objs(podSpec.containers);
  return init.length === 0 ? main : [...init, ...main];
}

/**
 * Whether a container of `initContainers` is a sidecar: with
 * `restartPolicy: Always` it keeps running beside the app containers
 * instead of running to completion before them.
 */
export function isSidecar(container: JsonObject): boolean {
  return container.restartPolicy === 'Always';
}

/**
 * The ports a pod serves on: those of its app containers and of its sidecars.
 * A plain init container has exited before the pod is ready, so its ports
 * serve nobody, and Kubernetes resolves a Service's named targetPort against
 * the app containers and sidecars only (the endpoints controller's FindPort).
 */
export function declaredPortsOf(podSpec: JsonObject): DeclaredPort[] {
  const out: DeclaredPort[] = [];
  const add = (c: JsonObject) => {
    for (const p of objs(c.ports)) {
      const number = num(p.containerPort);
      if (number !== undefined) {
        out.push({ container: str(c.name) ?? '?', number, name: str(p.name), protocol: str(p.protocol) ?? 'TCP' });
      }
    }
  };
  objs(podSpec.containers).forEach(add);
  objs(podSpec.initContainers).filter(isSidecar).forEach(add);
  return out;
}
