import { ApiObject } from 'cdk8s';
import { KubePodDisruptionBudget } from './kube-objects';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { INT32_MAX, integerFinding } from './checks';
import { Problems } from './problems';
import { ProblemCode } from './problem-code';
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

// The budget made for each workload, by construct path: the eviction API refuses every
// eviction of a pod that more than one budget covers, so a second one would stop drains.
const budgets = new WeakMap<IWorkload, string>();

/** The path of the construct that made the budget of `target`, if one was made. @internal */
export function budgetOf(target: IWorkload): string | undefined {
  return budgets.get(target);
}

// Scopes that check the budgets they make themselves (namespace, a second budget), with their own objects.
const checkedBy = new WeakSet<IConstruct>();

/** Leaves the checks of the budgets made in `scope` to `scope`, which reports them once for all its objects. @internal */
export function checksBudgets(scope: IConstruct): void {
  checkedBy.add(scope);
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
    const found = Problems.of(this);
    // 0 is legal, but no eviction is then ever allowed: drains of its nodes never finish.
    if (found._record(integerFinding('maxUnavailable', maxUnavailable, 0, INT32_MAX))) {
      found.warnUnless(maxUnavailable > 0, ProblemCode.OUT_OF_RANGE, `maxUnavailable is 0, so no pod of ${target.name} may ever be evicted and a drain of its nodes never finishes`,
        'set maxUnavailable to 1 or more');
    }
    const other = budgets.get(target);
    if (!checkedBy.has(scope)) {
      checkInTargetNamespace(found, this, target, 'PodDisruptionBudget');
      if (other !== undefined) {
        // The second budget is written under the same name: the App-wide check would find it twice.
        found._consequence(found.report(ProblemCode.CONFLICTING_SETTINGS,
          `${target.name} already has a PodDisruptionBudget, from ${other}; with two over the same pods every eviction fails, so node drains stop`,
          'keep one budget per workload (Autoscaling makes its own for its target)'),
        { code: ProblemCode.DUPLICATE, kind: 'PodDisruptionBudget', namespace: target.namespace, name: target.name });
      }
    }
    if (other === undefined) {
      budgets.set(target, this.node.path);
    }
    const labels = target.podLabels;
    this.budget = new KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: target.name, namespace: target.namespace, labels },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable),
        selector: { matchLabels: target.podSelector },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
