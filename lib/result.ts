import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentProps, VOTING_APP } from './component';
import { ContainerPort } from './container-port';
import { check } from './errors';
import { Exposure } from './exposure';
import { HealthCheck } from './health-check';
import { Microservice } from './microservice';
import { Volume } from './volume';
import { declareConnection } from './wiring-checks';

/** Props of {@link Result}. */
export interface ResultProps extends ComponentProps {
  /**
   * How viewers reach the results page.
   * @default Exposure.nodePort(8081, 31001), as upstream
   */
  readonly exposure?: Exposure;
  /**
   * Pin each client to one pod (`sessionAffinity: ClientIP`). socket.io needs
   * this to run more than one replica.
   * @default false
   */
  readonly stickySessions?: boolean;
}

/**
 * The results page (Node.js + socket.io): polls the `votes` table of
 * `postgres://postgres:postgres@db/postgres`, hard-coded in the image.
 */
export class Result extends Construct {
  /** The image used unless `image` is given. */
  public static readonly DEFAULT_IMAGE = 'dockersamples/examplevotingapp_result:latest';
  /** The resources used unless `resources` is given. */
  public static readonly DEFAULT_RESOURCES = { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(96), limit: Size.mebibytes(192) } };

  /** The Deployment and Service. */
  public readonly workload: Microservice;

  constructor(scope: Construct, id: string, props: ResultProps = {}) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    check(replicas <= 1 || props.stickySessions === true, this,
      `result asks for ${replicas} replicas without sticky sessions; socket.io then drops its connections`,
      'keep replicas at 1, or set stickySessions: true');
    const http = ContainerPort.tcp('http', 80);
    const exposure = props.exposure ?? Exposure.nodePort(8081, 31001);
    this.workload = new Microservice(this, 'Workload', {
      name: 'result',
      namespace: props.namespace,
      instance: props.instance ?? VOTING_APP,
      partOf: VOTING_APP,
      component: 'frontend',
      image: props.image ?? Result.DEFAULT_IMAGE,
      replicas,
      ports: [http],
      service: exposure.toServiceOptions(http, props.stickySessions ?? false),
      resources: props.resources ?? Result.DEFAULT_RESOURCES,
      // GET / serves the static page; it does not wait for the database.
      readiness: HealthCheck.httpGet('/', http, { period: Duration.seconds(5), timeout: Duration.seconds(2) }),
      liveness: HealthCheck.httpGet('/', http, { initialDelay: Duration.seconds(10), period: Duration.seconds(20), timeout: Duration.seconds(5), failureThreshold: 6 }),
      // The image runs node as root (every capability dropped); the sysctl
      // lets it bind port 80, and /tmp is its only writable place.
      security: { unprivilegedPortStart: 80 },
      volumes: [{ path: '/tmp', volume: Volume.emptyDir('tmp', { sizeLimit: Size.mebibytes(64) }) }],
      spreadAcrossNodes: props.spreadAcrossNodes,
    });
    declareConnection(this.workload, 'db');
  }
}
