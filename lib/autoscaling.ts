import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { check, checkInteger } from './errors';
import { Microservice } from './microservice';

/** Props of {@link Autoscaling}. */
export interface AutoscalingProps {
  /** The workload to scale and protect. */
  readonly target: Microservice;
  /**
   * Fewest pods; also what a PodDisruptionBudget keeps all but one of.
   * @default - the target's replicas, at least 2
   */
  readonly minReplicas?: number;
  /**
   * Most pods.
   * @default - 5, or `minReplicas` when that is higher
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
 * reset a scaled-up Deployment to the written count. The target's `replicas`
 * becomes the autoscaler's minimum unless `minReplicas` is given.
 */
export class Autoscaling extends Construct {
  /** The HorizontalPodAutoscaler. */
  public readonly autoscaler: k8s.KubeHorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget. */
  public readonly disruptionBudget: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: AutoscalingProps) {
    super(scope, id);
    const { target } = props;
    const min = props.minReplicas ?? Math.max(2, target.replicas);
    const max = props.maxReplicas ?? Math.max(5, min);
    const cpu = props.targetCpuPercent ?? 70;
    checkInteger(this, 'minReplicas', min, 2, 1000);
    checkInteger(this, 'maxReplicas', max, min, 1000);
    checkInteger(this, 'targetCpuPercent', cpu, 1, 100);
    check(target.replicas >= min && target.replicas <= max, this, `${target.name} starts at ${target.replicas} replica${target.replicas === 1 ? '' : 's'}, outside the autoscaling range ${min}-${max}`,
      `set ${target.name} replicas to a value from ${min} to ${max}`);
    const other = target.node.metadata.find(m => m.type === AUTOSCALED_BY);
    check(other === undefined, this, `${target.name} is already autoscaled by ${other?.data}; two autoscalers would fight over its pod count`,
      'keep one Autoscaling per workload');
    target.node.addMetadata(AUTOSCALED_BY, this.node.path);
    target.deployment.addJsonPatch(JsonPatch.remove('/spec/replicas'));
    const metadata = { name: target.name, namespace: target.namespace, labels: target.labels.all };
    this.autoscaler = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target.name },
        minReplicas: min,
        maxReplicas: max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }],
      },
    });
    this.disruptionBudget = new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata,
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: target.labels.selector },
      },
    });
  }
}
