import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppNamespace } from '../core/app-namespace';
import { VOTING_APP } from './component';
import { Profile, PRODUCTION_DB_SECRET, profileDefaults } from './profile';
import { VotingApp, VotingAppProps } from './voting-app';

/** Props of {@link VotingAppChart}. */
export interface VotingAppChartProps extends VotingAppProps {
  /**
   * Namespace created for the app and holding all its objects.
   * @default 'voting-app' (dev), 'voting-app-production' (production)
   */
  readonly namespace?: string;
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

  public readonly app: VotingApp;
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
