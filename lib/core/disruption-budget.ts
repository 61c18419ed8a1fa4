import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { checkInteger, ProblemCollector } from './errors';
import { Microservice } from './microservice';
import { checkInTargetNamespace, IWorkload } from './workload';

/** Props of {@link DisruptionBudget}. */
export interface DisruptionBudgetProps {
  /** The workload whose pods are protected. */
  readonly target: IWorkload;
  /**
   * Most pods a voluntary disruption (a node drain) may take down at once.
   * @default 1
   */
  readonly maxUnavailable?: number;
}

// Scopes that check the namespace of the budgets they make themselves, with their own objects.
const namespaceCheckedBy = new WeakSet<IConstruct>();

/** Leaves the namespace check of the budgets made in `scope` to `scope`, which reports it once for all its objects. @internal */
export function checksBudgetNamespace(scope: IConstruct): void {
  namespaceCheckedBy.add(scope);
}

/**
 * A PodDisruptionBudget: node drains take the target's pods down at most
 * `maxUnavailable` at a time, so a replicated workload keeps serving.
 * Pods that run but are not Ready serve nothing, so evicting them never
 * blocks a drain (`unhealthyPodEvictionPolicy: AlwaysAllow`).
 */
export class DisruptionBudget extends Construct {
  /** The PodDisruptionBudget. */
  public readonly budget: ApiObject;

  constructor(scope: Construct, id: string, props: DisruptionBudgetProps) {
    super(scope, id);
    const { target } = props;
    const maxUnavailable = props.maxUnavailable ?? 1;
    const found = new ProblemCollector(this);
    found.run(() => checkInteger(this, 'maxUnavailable', maxUnavailable, 1, 1000));
    if (!namespaceCheckedBy.has(scope)) {
      found.run(() => checkInTargetNamespace(this, target, 'PodDisruptionBudget'));
    }
    const labels = target instanceof Microservice ? target.labels.all : target.podSelector;
    this.budget = new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: target.name, namespace: target.namespace, labels },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable),
        selector: { matchLabels: target.podSelector },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
