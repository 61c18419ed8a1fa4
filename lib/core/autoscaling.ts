import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { INT32_MAX, integerFinding } from './checks';
import { ProblemReport } from './problem';
import { Problems } from './problems';
import { ProblemCode } from './problem-code';
import { budgetOf, checksBudgets, DisruptionBudget } from './disruption-budget';
import { checkInTargetNamespace, IWorkload } from './workload';

/** Props of {@link Autoscaling}. */
export interface AutoscalingProps {
  /** The workload (a Deployment) to scale and protect. */
  readonly target: IWorkload;
  /**
   * Fewest pods; also what a PodDisruptionBudget keeps all but one of.
   * @default - the target's replicas when above 1, else 2
   */
  readonly minReplicas?: number;
  /**
   * Most pods.
   * @default - 5, or twice `minReplicas` when that is higher
   */
  readonly maxReplicas?: number;
  /**
   * Average CPU use, in percent of the request, that the autoscaler aims for.
   * @default 70
   */
  readonly targetCpuPercent?: number;
}

const AUTOSCALED_BY = 'cdk8s-voting-app:autoscaled-by';


/**
 * A HorizontalPodAutoscaler on CPU plus a PodDisruptionBudget that keeps at
 * least `minReplicas - 1` pods through node drains, for a stateless workload.
 *
 * The autoscaler owns the pod count from then on, so the target's Deployment
 * is written without `spec.replicas`: with it, every `kubectl apply` would
 * reset a scaled-up Deployment to the written count. The target's `replicas`,
 * when above the default 1, is the autoscaler's minimum. Problems are reported
 * by synth with every other one.
 */
export class Autoscaling extends Construct {
  /** The HorizontalPodAutoscaler. */
  public readonly autoscaler: ApiObject;
  /** The PodDisruptionBudget. */
  public readonly disruptionBudget: ApiObject;

  constructor(scope: Construct, id: string, props: AutoscalingProps) {
    super(scope, id);
    const { target } = props;
    const found = Problems.of(this);
    checkInTargetNamespace(found, this, target, 'HorizontalPodAutoscaler and PodDisruptionBudget');
    checksBudgets(this);
    // An invalid replicas is the target's own problem, reported there; it sets no minimum here.
    const replicas = target.replicas;
    const asked = replicas !== undefined && Number.isInteger(replicas) && replicas > 1 && replicas <= INT32_MAX ? replicas : undefined;
    const min = props.minReplicas ?? asked ?? 2;
    const max = props.maxReplicas ?? Math.max(5, 2 * min);
    const cpu = props.targetCpuPercent ?? 70;
    // The API server takes any counts from 1 up and any utilization above 0 (a pod may use more than it requests).
    if (found._record(integerFinding('minReplicas', min, 1, INT32_MAX))) {
      found.warnUnless(min > 1, ProblemCode.OUT_OF_RANGE, `minReplicas is 1, so a node drain (its PodDisruptionBudget lets the one pod go) leaves ${target.name} without a pod`,
        'set minReplicas to 2 or more');
    }
    found._record(integerFinding('maxReplicas', max, Math.max(1, min), INT32_MAX));
    found._record(integerFinding('targetCpuPercent', cpu, 1, INT32_MAX));
    // The Deployment is written without replicas, so a different count asked for would be ignored.
    found.check(asked === undefined || asked === min,
      ProblemCode.CONFLICTING_SETTINGS, `${target.name} asks for ${asked} replicas, but its autoscaler keeps ${min} to ${max}`,
      `drop the replicas of ${target.name} or set minReplicas: ${asked}`);
    const other = target.node.metadata.find(m => m.type === AUTOSCALED_BY);
    // A second autoscaler or budget is written under the same name: the App-wide check would find it twice.
    const twice = (cause: ProblemReport, ...kinds: string[]) => found._consequence(cause, ...kinds.map(kind => ({ code: ProblemCode.DUPLICATE, kind, namespace: target.namespace, name: target.name })));
    if (other !== undefined) {
      twice(found.report(ProblemCode.CONFLICTING_SETTINGS, `${target.name} is already autoscaled by ${other.data}; two autoscalers would fight over its pod count`,
        'keep one Autoscaling per workload'), 'HorizontalPodAutoscaler', 'PodDisruptionBudget');
    } else {
      target.node.addMetadata(AUTOSCALED_BY, this.node.path);
      target.leaveReplicasToAutoscaler();
      const budget = budgetOf(target);
      if (budget !== undefined) {
        twice(found.report(ProblemCode.CONFLICTING_SETTINGS,
          `${target.name} already has a PodDisruptionBudget, from ${budget}, and Autoscaling makes its own; with two over the same pods every eviction fails, so node drains stop`,
          `drop that DisruptionBudget: Autoscaling's keeps minReplicas - 1 pods of ${target.name} through drains`), 'PodDisruptionBudget');
      }
    }
    const labels = target.podLabels;
    const metadata = { name: target.name, namespace: target.namespace, labels };
    this.autoscaler = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: target.kind, name: target.name },
        minReplicas: min,
        maxReplicas: max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }],
      },
    });
    this.disruptionBudget = new DisruptionBudget(this, 'DisruptionBudget', { target }).budget;
  }
}
