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
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Most pods.
   * @default 5
   */
  readonly maxReplicas?: number;
  /**
   * Average CPU use, in percent of the request, that the autoscaler aims for.
   * @default 70
   */
  readonly targetCpuPercent?: number;
}

/**
 * A HorizontalPodAutoscaler on CPU plus a PodDisruptionBudget that keeps at
 * least `minReplicas - 1` pods through node drains, for a stateless workload.
 */
export class Autoscaling extends Construct {
  /** The HorizontalPodAutoscaler. */
  public readonly autoscaler: k8s.KubeHorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget. */
  public readonly disruptionBudget: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: AutoscalingProps) {
    super(scope, id);
    const { target } = props;
    const min = props.minReplicas ?? 2;
    const max = props.maxReplicas ?? 5;
    const cpu = props.targetCpuPercent ?? 70;
    checkInteger(this, 'minReplicas', min, 2, 1000);
    checkInteger(this, 'maxReplicas', max, min, 1000);
    checkInteger(this, 'targetCpuPercent', cpu, 1, 100);
    check(target.replicas >= min && target.replicas <= max, this, `${target.name} starts at ${target.replicas} replicas, outside the autoscaling range ${min}-${max}`,
      `set ${target.name} replicas to a value from ${min} to ${max}`);
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
