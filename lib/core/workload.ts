import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct, IMixin, Node } from 'constructs';
import { ContainerPort } from './container-port';
import { declareImportedWorkload } from './declarations';
import { Problems } from './problems';
import { ProblemCode } from './problem-code';

/**
 * A workload whose pods other things refer to: policies, connections and
 * autoscaling take this interface, so a workload made elsewhere (raw cdk8s,
 * cdk8s-plus, another team's chart) takes part once imported with
 * {@link Workload.fromAttributes}. {@link Microservice} implements it.
 */
export interface IWorkload extends IConstruct {
  /** The name of the workload (its Deployment), e.g. `redis`. */
  readonly name: string;
  /**
   * The namespace its pods run in, resolved as cdk8s resolves it: its own,
   * else its Chart's; undefined when neither sets one.
   */
  readonly namespace?: string;
  /** Labels that select exactly its pods. */
  readonly podSelector: { [key: string]: string };
  /**
   * Every label its pods carry (the selector's and more): what policies see,
   * and the labels of the objects made for it (policies, autoscalers, budgets).
   */
  readonly podLabels: { [key: string]: string };
  /** The container ports its pods listen on. */
  readonly ports: ContainerPort[];
  /**
   * The name of the Service in front of it, which clients reach it by: synth
   * checks that a Service of that name selects its pods beside each client.
   * @default - none known
   */
  readonly serviceName?: string;
  /** The kind of its workload object, e.g. `Deployment` or `StatefulSet`: what an autoscaler scales. */
  readonly kind: string;
  /**
   * The number of pods it asks for, if known.
   * @default - not known
   */
  readonly replicas?: number;
  /**
   * Leaves the pod count to an autoscaler from now on: the workload writes no
   * `replicas`, which every `kubectl apply` would otherwise reset. A workload
   * made elsewhere has nothing to change.
   */
  leaveReplicasToAutoscaler(): void;
}

/** What identifies a workload made outside this library. */
export interface WorkloadAttributes {
  /** The workload's name, e.g. `api`. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - the namespace of the Chart it is imported into
   */
  readonly namespace?: string;
  /** Labels that select exactly its pods (its `spec.selector.matchLabels`). */
  readonly podSelector: { [key: string]: string };
  /**
   * The container ports its pods listen on.
   * @default - none
   */
  readonly ports?: ContainerPort[];
  /**
   * Every label its pods carry.
   * @default - the pod selector
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * The kind of its workload object.
   * @default 'Deployment'
   */
  readonly kind?: string;
  /**
   * Whether its pods are made outside this App (applied by another team or
   * tool). When false, its pods come from a workload of the App (raw cdk8s,
   * cdk8s-plus, an imported chart), and synth reports a `podSelector` that
   * matches no pod template of the App in its namespace: the policies and
   * connections that use it would protect and reach nothing.
   * @default false
   */
  readonly external?: boolean;
}

/** Workloads made elsewhere, seen through {@link IWorkload}. */
export class Workload {
  /**
   * A workload defined outside this library, e.g. a cdk8s-plus Deployment
   * or one applied by another team: nothing is written for it. Synth checks
   * that its `podSelector` matches a pod template of the App in its
   * namespace, unless `external` says its pods are made outside the App.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: WorkloadAttributes): IWorkload {
    return new ImportedWorkload(scope, id, attrs);
  }

  /**
   * A cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job) as an
   * {@link IWorkload}, for connections, policies and autoscaling: its name,
   * namespace, labels and container ports are read from it when needed, so
   * containers and labels added later count too. It is the same construct:
   * nothing is written for it but what cdk8s-plus writes.
   */
  public static fromPlus(workload: kplus.Workload): IWorkload {
    return plusWorkloads.get(workload) ?? new PlusWorkload(workload);
  }

  private constructor() {}
}

class ImportedWorkload extends Construct implements IWorkload {
  public readonly name: string;
  public readonly namespace?: string;
  public readonly podSelector: { [key: string]: string };
  public readonly podLabels: { [key: string]: string };
  public readonly ports: ContainerPort[];
  public readonly kind: string;

  constructor(scope: Construct, id: string, attrs: WorkloadAttributes) {
    super(scope, id);
    this.name = attrs.name;
    this.namespace = resolveNamespace(this, attrs.namespace);
    this.podSelector = { ...attrs.podSelector };
    this.podLabels = { ...attrs.podSelector, ...attrs.podLabels };
    this.ports = [...(attrs.ports ?? [])];
    this.kind = attrs.kind ?? 'Deployment';
    Problems.of(this)._adoptAll(this.ports);
    declareImportedWorkload(this, { name: this.name, namespace: this.namespace, podSelector: this.podSelector, external: attrs.external ?? false });
    // An empty selector selects every pod of the namespace: a policy or budget for it would govern them all.
    Problems.of(this).check(Object.keys(this.podSelector).length > 0, ProblemCode.MISSING_SETTING,
      `podSelector of ${this.name} is empty, which selects every pod in its namespace`,
      `give the labels of ${this.name}'s pods (its spec.selector.matchLabels)`);
  }

  /** Made elsewhere: there is no pod count to hand over. */
  public leaveReplicasToAutoscaler(): void {}
}

const plusWorkloads = new WeakMap<kplus.Workload, PlusWorkload>();

/** A cdk8s-plus workload seen as an {@link IWorkload}: the same construct, read when asked. */
class PlusWorkload implements IWorkload {
  constructor(private readonly workload: kplus.Workload) {
    plusWorkloads.set(workload, this);
  }

  public get node(): Node {
    return this.workload.node;
  }

  public with(...mixins: IMixin[]): IConstruct {
    return this.workload.with(...mixins);
  }

  public get name(): string {
    return this.workload.name;
  }

  public get namespace(): string | undefined {
    return resolveNamespace(this.workload, this.workload.metadata.namespace);
  }

  public get podSelector(): { [key: string]: string } {
    return { ...this.workload.matchLabels };
  }

  public get podLabels(): { [key: string]: string } {
    return { ...(this.workload.podMetadata.toJson().labels as Record<string, string> | undefined), ...this.workload.matchLabels };
  }

  public get ports(): ContainerPort[] {
    // cdk8s-plus ports may be unnamed; a name is what this library refers to a port by.
    return this.workload.containers.flatMap(c => c.ports.map(p => {
      const name = p.name ?? `${c.name}-${p.number}`.slice(0, 15).replace(/-+$/, '');
      return p.protocol === kplus.Protocol.UDP ? ContainerPort.udp(name, p.number) : ContainerPort.tcp(name, p.number);
    }));
  }

  public get kind(): string {
    return ApiObject.of(this.workload).kind;
  }

  public get replicas(): number | undefined {
    return (this.workload as { replicas?: number }).replicas;
  }

  public leaveReplicasToAutoscaler(): void {
    // cdk8s-plus writes replicas itself; the autoscaler owns the count from now on.
    ApiObject.of(this.workload).addJsonPatch(JsonPatch.remove('/spec/replicas'));
  }
}

/** A namespace as cdk8s writes it into an object's metadata: the object's own, else its Chart's. @internal */
export function resolveNamespace(scope: IConstruct, own: string | undefined): string | undefined {
  if (own !== undefined) {
    return own;
  }
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    if (Chart.isChart(c)) {
      return c.namespace;
    }
  }
  return undefined;
}

/**
 * Records a problem unless the `kind` object `scope` writes for `target` lands in the target's
 * namespace. Written with the target's namespace, a target that has none would get
 * `scope`'s Chart namespace instead, where the object does not act on its pods
 * (a NetworkPolicy, autoscaler or disruption budget only sees its own namespace). @internal
 */
export function checkInTargetNamespace(found: Problems, scope: IConstruct, target: IWorkload, kind: string): boolean {
  const lands = resolveNamespace(scope, target.namespace);
  if (lands === target.namespace) {
    return true;
  }
  found.report(ProblemCode.NAMESPACE_UNKNOWN,
    `its ${kind} would be written to namespace "${lands}" (its Chart's), but ${target.name} has no set namespace, so it would not act on the pods of ${target.name}: it only sees its own namespace`,
    `set the namespace of ${target.name} (on the workload or its Chart), or make this in a Chart without a namespace`);
  return false;
}
