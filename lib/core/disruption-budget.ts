import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { checkInteger, ProblemCollector } from './errors';
import { Microservice } from './microservice';
import { IWorkload } from './workload';

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
    new ProblemCollector(this).run(() => checkInteger(this, 'maxUnavailable', maxUnavailable, 1, 1000));
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
