import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { VOTING_APP } from './component';
import { checkName } from './errors';
import { AppLabels } from './labels';
import { VotingApp, VotingAppProps } from './voting-app';

/** Props of {@link VotingAppChart}. */
export interface VotingAppChartProps extends VotingAppProps {
  /**
   * Namespace created for the app and holding all its objects.
   * @default 'voting-app'
   */
  readonly namespace?: string;
}

/**
 * A deployable chart: the Namespace, then the voting app inside it. The
 * Namespace comes first in the file, so `kubectl apply -f` creates it before
 * the objects that live in it.
 */
export class VotingAppChart extends Chart {
  public readonly app: VotingApp;
  public readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: VotingAppChartProps) {
    super(scope, id);
    this.namespaceName = props.namespace ?? VOTING_APP;
    checkName(this, 'namespace', this.namespaceName);
    const instance = props.instance ?? VOTING_APP;
    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: this.namespaceName,
        labels: {
          ...new AppLabels({ name: this.namespaceName, instance, component: 'namespace', partOf: VOTING_APP }).all,
          // The three app images run as root, which "restricted" forbids;
          // enforce "baseline" and report anything short of "restricted".
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    this.app = new VotingApp(this, 'App', { ...props, namespace: this.namespaceName, instance });
  }
}
