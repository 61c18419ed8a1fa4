import { Duration, Size } from 'cdk8s';
import { Cpu, EnvValue } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentProps, VOTING_APP } from './component';
import { ContainerPort } from './container-port';
import { Exposure } from './exposure';
import { HealthCheck } from './health-check';
import { Microservice } from './microservice';
import { Volume } from './volume';
import { declareConnection } from './wiring-checks';

/** Props of {@link Vote}. */
export interface VoteProps extends ComponentProps {
  /**
   * How voters reach the page.
   * @default Exposure.nodePort(8080, 31000), as upstream
   */
  readonly exposure?: Exposure;
  /**
   * The two choices on the ballot (`OPTION_A`, `OPTION_B`).
   * @default - the image's own: Cats and Dogs
   */
  readonly options?: [string, string];
}

/**
 * The voting page (Python/Flask): pushes each vote onto the redis list
 * `votes`, at the host name `redis` hard-coded in the image.
 */
export class Vote extends Construct {
  /** The image used unless `image` is given. */
  public static readonly DEFAULT_IMAGE = 'dockersamples/examplevotingapp_vote:latest';
  /** The resources used unless `resources` is given. */
  public static readonly DEFAULT_RESOURCES = { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(96), limit: Size.mebibytes(192) } };

  /** The Deployment and Service. */
  public readonly workload: Microservice;

  constructor(scope: Construct, id: string, props: VoteProps = {}) {
    super(scope, id);
    const http = ContainerPort.tcp('http', 80);
    const exposure = props.exposure ?? Exposure.nodePort(8080, 31000);
    this.workload = new Microservice(this, 'Workload', {
      name: 'vote',
      namespace: props.namespace,
      instance: props.instance ?? VOTING_APP,
      partOf: VOTING_APP,
      component: 'frontend',
      image: props.image ?? Vote.DEFAULT_IMAGE,
      replicas: props.replicas,
      ports: [http],
      service: exposure.toServiceOptions(http),
      env: props.options ? { OPTION_A: EnvValue.fromValue(props.options[0]), OPTION_B: EnvValue.fromValue(props.options[1]) } : undefined,
      resources: props.resources ?? Vote.DEFAULT_RESOURCES,
      // GET / renders the ballot without touching redis, so a redis outage
      // makes no vote pod unready or restart.
      readiness: HealthCheck.httpGet('/', http, { period: Duration.seconds(5), timeout: Duration.seconds(2) }),
      liveness: HealthCheck.httpGet('/', http, { initialDelay: Duration.seconds(10), period: Duration.seconds(20), timeout: Duration.seconds(5), failureThreshold: 6 }),
      // The image runs gunicorn as root (every capability dropped); it writes
      // only to /tmp (worker heartbeats), and the sysctl lets it bind port 80.
      security: { unprivilegedPortStart: 80 },
      volumes: [{ path: '/tmp', volume: Volume.emptyDir('tmp', { sizeLimit: Size.mebibytes(64) }) }],
      spreadAcrossNodes: props.spreadAcrossNodes,
    });
    declareConnection(this.workload, 'redis');
  }
}
