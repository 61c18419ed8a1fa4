import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { VOTING_APP } from './component';
import { Profile, PRODUCTION_DB_SECRET, profileDefaults } from './profile';
import { VotingApp, VotingAppProps } from './voting-app';
import { AppNamespace } from '../core';

/**
 * Props of {@link VotingAppChart}. Here `namespace` names the Namespace the
 * chart creates and puts every object in: by default `voting-app` (dev) or
 * `voting-app-production` (production).
 */
export interface VotingAppChartProps extends VotingAppProps {
  /**
   * The set of defaults to start from; any other prop overrides it.
   * @default Profile.DEV
   */
  readonly profile?: Profile;
}

/**
 * A deployable chart: the Namespace (first, so `kubectl apply -f` creates it
 * before what lives in it), then the voting app inside it.
 */
export class VotingAppChart extends Chart {
  /** The Secret the production profile expects to exist (keys `username`, `password`). */
  public static readonly PRODUCTION_DB_SECRET = PRODUCTION_DB_SECRET;

  /** The voting app's five components. */
  public readonly app: VotingApp;
  /** The name of the Namespace the chart creates. */
  public readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: VotingAppChartProps = {}) {
    super(scope, id);
    const profile = props.profile ?? Profile.DEV;
    const defined = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
    const merged: VotingAppProps = { ...profileDefaults(profile), ...defined };
    const instance = props.instance ?? VOTING_APP;
    const ns = new AppNamespace(this, 'Namespace', {
      name: props.namespace ?? (profile === Profile.DEV ? VOTING_APP : `${VOTING_APP}-${profile}`),
      instance,
      partOf: VOTING_APP,
    });
    this.namespaceName = ns.name;
    this.app = new VotingApp(this, 'App', { ...merged, namespace: this.namespaceName, instance });
  }
}
