import { Json, Labels, obj } from './json';
import { NamespaceLabels } from './namespaces';
import { NetworkPolicies } from './network-policies';
import { headerOf, identity, ObjectHeader } from './objects';
import { DeclaredPort, PodTemplate, podTemplateOf } from './pod-templates';
import { keysOf, Reference, referencesOf } from './references';
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

  /** @param header the object's header, when the caller has read it already (this runs for every object of a fleet) */
  public add(owner: O, json: Json, header: ObjectHeader = headerOf(json)): Added<O> {
    const { kind, name, namespace } = header;
    const key = identity(header.apiVersion, kind, namespace, name);
    const earlier = this.identities.get(key);
    this.identities.set(key, owner);
    const template = podTemplateOf(json);
    if (template) {
      const entry: WorkloadEntry<O> = { owner, kind, name, namespace, labels: template.labels, ports: template.ports, references: referencesOf(template.spec) };
      this.workloads.push(entry);
      const list = this.workloadsByNamespace.get(namespace);
      if (list) {
        list.push(entry);
      } else {
        this.workloadsByNamespace.set(namespace, [entry]);
      }
    } else if (kind === 'Service') {
      this.services.push({ owner, name, namespace, type: serviceTypeOf(json), selector: serviceSelectorOf(json), ports: servicePortsOf(json) });
      this.keys.set(`Service/${namespace}/${name}`, EMPTY);
    } else if (kind === 'Secret' || kind === 'ConfigMap') {
      this.keys.set(`${kind}/${namespace}/${name}`, new Set(keysOf(obj(json) ?? {})));
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

  /** The keys of a Secret or ConfigMap the manifests define; undefined when they define none of that name. */
  public keysOf(kind: 'Secret' | 'ConfigMap', namespace: string, name: string): ReadonlySet<string> | undefined {
    return this.keys.get(`${kind}/${namespace}/${name}`);
  }

  public hasService(namespace: string, name: string): boolean {
    return this.keys.has(`Service/${namespace}/${name}`);
  }
}

const EMPTY: ReadonlySet<string> = new Set();
