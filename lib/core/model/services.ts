import { Json, Labels, labels, num, obj, objs, portRef, str } from './json';
import { DeclaredPort } from './pod-templates';

// What a Service routes to: the pods its selector picks and the port each of its ports lands on.

/** A port of a Service, with the defaults the API server fills in. */
export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  /** A number or the name of a container port; the port itself when unset. */
  readonly targetPort: number | string;
  readonly nodePort?: number;
  /** TCP unless the manifest says otherwise. */
  readonly protocol: string;
}

export function servicePortsOf(service: Json): ServicePort[] {
  return objs(obj(obj(service)?.spec)?.ports).map(p => {
    const port = num(p.port) ?? 0;
    return { name: str(p.name), port, targetPort: portRef(p.targetPort) ?? port, nodePort: num(p.nodePort), protocol: str(p.protocol) ?? 'TCP' };
  });
}

export function serviceTypeOf(service: Json): string {
  return str(obj(obj(service)?.spec)?.type) ?? 'ClusterIP';
}

/**
 * The selector of a Service, or undefined when it selects no pods: an
 * ExternalName Service, or one without a selector (or with an empty one),
 * whose endpoints are managed by hand.
 */
export function serviceSelectorOf(service: Json): Labels | undefined {
  const spec = obj(obj(service)?.spec);
  if (str(spec?.type) === 'ExternalName') {
    return undefined;
  }
  const selector = labels(spec?.selector);
  for (const _ in selector) {
    return selector;
  }
  return undefined;
}

/** Where a Service port lands on one selected pod. */
export type TargetPortResolution =
  /** On `number`; `declared` says whether a container declares it (with that protocol). */
  | { readonly ok: true; readonly number: number; readonly name?: string; readonly declared: boolean }
  /** A named targetPort no container of the pod declares (with that protocol): the pod gets no endpoint for it. */
  | { readonly ok: false; readonly problem: 'no-such-name' }
  /** A number none of the pod's declared ports has (with that protocol). */
  | { readonly ok: false; readonly problem: 'not-declared' };

/**
 * Resolves a Service port's targetPort against the ports one selected pod
 * declares. A name is looked up by name and protocol, as the endpoints
 * controller does, and a pod without it gets no endpoint. A number is used
 * as it is: Kubernetes does not require it to be declared, so a pod that
 * declares no port at all may listen there; but a pod that declares its
 * ports and not this one is sent traffic it says it does not serve, and
 * that is reported as a mistake.
 */
export function resolveTargetPort(port: ServicePort, declared: readonly DeclaredPort[]): TargetPortResolution {
  const target = port.targetPort;
  if (typeof target === 'string') {
    const named = declared.find(p => p.name === target && p.protocol === port.protocol);
    return named ? { ok: true, number: named.number, name: named.name, declared: true } : { ok: false, problem: 'no-such-name' };
  }
  if (declared.length === 0) {
    return { ok: true, number: target, declared: false };
  }
  const same = declared.find(p => p.number === target && p.protocol === port.protocol);
  return same ? { ok: true, number: target, name: same.name, declared: true } : { ok: false, problem: 'not-declared' };
}
