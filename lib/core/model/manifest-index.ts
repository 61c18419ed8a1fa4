import { Json, Labels, obj } from './json';
import { NamespaceLabels } from './namespaces';
import { NetworkPolicies } from './network-policies';
import { headerOf, identity, isClusterScoped, ObjectHeader } from './objects';
import { DeclaredPort, PodTemplate, podTemplateOf } from './pod-templates';
import { claimTemplatesOf, keysOf, Reference, referencesOf } from './references';
import { enforcedLevelOf, podSecurityAtLevels, PodSecurityViolation, podSecurityViolations } from '../rules/pod-security';
import { matchesLabels } from './selectors';
import { ServicePort, servicePortsOf, serviceSelectorOf, serviceTypeOf } from './services';

/** A workload as the rules between objects need it: the labels, ports and references of its pods. */
export interface WorkloadEntry<O> {
  readonly owner: O;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ports: DeclaredPort[];
  readonly references: Reference[];
  /** The Pod Security checks its pods break, at the levels that matter where it runs. */
  readonly podSecurity: () => PodSecurityOfPods;
}

/** The Pod Security checks a pod template breaks at each level that checks anything. */
export interface PodSecurityOfPods {
  readonly baseline: readonly PodSecurityViolation[];
  readonly restricted: readonly PodSecurityViolation[];
}

const SECURE: PodSecurityOfPods = { baseline: [], restricted: [] };

/** Both levels are judged: restricted replaces some baseline checks, so passing it does not always mean passing baseline. */
function podSecurityOf(template: PodTemplate): PodSecurityOfPods {
  const { baseline, restricted } = podSecurityAtLevels(template.metadata, template.spec);
  return baseline.length === 0 && restricted.length === 0 ? SECURE : { baseline, restricted };
}

// Each closure is made in a function of its own: V8 gives the closures of one function one shared
// context, so a verdict judged then and there would keep the whole pod template alive too.
function verdictOf(judged: PodSecurityOfPods): () => PodSecurityOfPods {
  return judged === SECURE ? ALWAYS_SECURE : () => judged;
}

/** The verdict of most pods, shared: the checks keep one for every workload of a fleet. */
const ALWAYS_SECURE = (): PodSecurityOfPods => SECURE;

function judgedWhenAsked(template: PodTemplate): () => PodSecurityOfPods {
  let judged: PodSecurityOfPods | undefined;
  return () => (judged ??= podSecurityOf(template));
}

/** A Service as the rules between objects need it. */
export interface ServiceEntry<O> {
  readonly owner: O;
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  /** Undefined when it selects no pods (ExternalName, or no selector). */
  readonly selector?: Labels;
  readonly ports: ServicePort[];
}

/** What {@link ManifestIndex.add} found in one object. */
export interface Added<O> {
  /** Its pod template, for a workload. */
  readonly template?: PodTemplate;
  /** The object added before with the same identity: applying both keeps only the last. */
  readonly earlier?: O;
}

/**
 * The objects of a set of manifests, fed one at a time and indexed by
 * namespace and name, so that every rule between objects is linear in the
 * number of objects. It keeps a few fields of each object, never the
 * manifest itself: synth renders a fleet of 16,000 objects through it.
 * `O` is what the caller knows an object by (a construct, a file and document).
 */
export class ManifestIndex<O> {
  public readonly workloads: WorkloadEntry<O>[] = [];
  public readonly services: ServiceEntry<O>[] = [];
  public readonly namespaces = new NamespaceLabels();
  public readonly policies = new NetworkPolicies(this.namespaces);
  private readonly workloadsByNamespace = new Map<string, WorkloadEntry<O>[]>();
  private readonly keys = new Map<string, ReadonlySet<string>>();
  private readonly identities = new Map<string, O>();
  /** The first object written to each namespace (namespaced kinds only), and how many are. */
  private readonly written = new Map<string, { first: O; count: number }>();
  /** By namespace, the prefixes `<template>-<statefulset>-` of the claims the StatefulSets make. */
  private readonly claimPrefixes = new Map<string, string[]>();

  /**
   * Pods are judged where their namespace's level is known when they are added (a Namespace is
   * usually written first): not at all under `privileged` or no level, else then and there, so
   * the pod template is not kept. Otherwise they are judged, on both levels, when asked.
   */
  private podSecurityFor(namespace: string, template: PodTemplate): () => PodSecurityOfPods {
    if (this.namespaces.isDefined(namespace)) {
      const level = enforcedLevelOf(this.namespaces.of(namespace));
      // Under baseline, restricted's verdict is not needed (it only words the fix where restricted is enforced).
      return verdictOf(level === undefined || level === 'privileged' ? SECURE
        : level === 'baseline' ? { baseline: podSecurityViolations('baseline', template.metadata, template.spec), restricted: [] } : podSecurityOf(template));
    }
    return judgedWhenAsked(template);
  }

  /** @param header the object's header, when the caller has read it already (this runs for every object of a fleet) */
  public add(owner: O, json: Json, header: ObjectHeader = headerOf(json)): Added<O> {
    const { kind, name, namespace } = header;
    const key = identity(header.apiVersion, kind, namespace, name);
    const earlier = this.identities.get(key);
    this.identities.set(key, owner);
    if (!isClusterScoped(kind)) {
      const seen = this.written.get(namespace);
      if (seen) {
        seen.count++;
      } else {
        this.written.set(namespace, { first: owner, count: 1 });
      }
    }
    const template = podTemplateOf(json);
    if (template) {
      const claimTemplates = kind === 'StatefulSet' ? claimTemplatesOf(obj(json) ?? {}) : [];
      if (claimTemplates.length > 0) {
        const prefixes = this.claimPrefixes.get(namespace) ?? [];
        prefixes.push(...claimTemplates.map(t => `${t}-${name}-`));
        this.claimPrefixes.set(namespace, prefixes);
      }
      const entry: WorkloadEntry<O> = {
        owner, kind, name, namespace, labels: template.labels, ports: template.ports,
        references: referencesOf(template.spec, claimTemplates), podSecurity: this.podSecurityFor(namespace, template),
      };
      this.workloads.push(entry);
      const list = this.workloadsByNamespace.get(namespace);
      if (list) {
        list.push(entry);
      } else {
        this.workloadsByNamespace.set(namespace, [entry]);
      }
    } else if (kind === 'Service') {
      this.services.push({ owner, name, namespace, type: serviceTypeOf(json), selector: serviceSelectorOf(json), ports: servicePortsOf(json) });
      this.keys.set(keyOf('Service', namespace, name), EMPTY);
    } else if (kind === 'PersistentVolumeClaim') {
      this.keys.set(keyOf(kind, namespace, name), EMPTY);
    } else if (kind === 'Secret' || kind === 'ConfigMap') {
      this.keys.set(keyOf(kind, namespace, name), new Set(keysOf(obj(json) ?? {})));
    } else if (kind === 'Namespace') {
      this.namespaces.add(json);
    } else if (kind === 'NetworkPolicy') {
      this.policies.add(json);
    }
    return { template, earlier };
  }

  /** The workloads of one namespace. */
  public inNamespace(namespace: string): WorkloadEntry<O>[] {
    return this.workloadsByNamespace.get(namespace) ?? [];
  }

  /** The workloads whose pods a Service selects: in its own namespace only, as Kubernetes does. */
  public selectedBy(service: ServiceEntry<O>): WorkloadEntry<O>[] {
    const selector = service.selector;
    return selector === undefined ? [] : this.inNamespace(service.namespace).filter(w => matchesLabels(selector, w.labels));
  }

  /**
   * The keys of a Secret or ConfigMap the manifests define (none for a
   * PersistentVolumeClaim); undefined when they define none of that name. A
   * claim a StatefulSet makes (`<template>-<statefulset>-<ordinal>`) is defined.
   */
  public keysOf(kind: Reference['kind'], namespace: string, name: string): ReadonlySet<string> | undefined {
    const keys = this.keys.get(keyOf(kind, namespace, name));
    if (keys === undefined && kind === 'PersistentVolumeClaim'
      && (this.claimPrefixes.get(namespace) ?? []).some(p => name.startsWith(p) && /^\d+$/.test(name.slice(p.length)))) {
      return EMPTY;
    }
    return keys;
  }

  /** Each namespace namespaced objects are written to, with the first of them and how many there are, in order of first use. */
  public writtenNamespaces(): ReadonlyArray<{ readonly namespace: string; readonly first: O; readonly count: number }> {
    return [...this.written].map(([namespace, { first, count }]) => ({ namespace, first, count }));
  }

  public hasService(namespace: string, name: string): boolean {
    return this.keys.has(keyOf('Service', namespace, name));
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/** The key of an object in `keys`, joined as identity() joins (see there why). */
function keyOf(kind: string, namespace: string, name: string): string {
  return [kind, namespace, name].join('/');
}
