import { Duration, Size } from 'cdk8s';
import { ContainerResources, EnvValue } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentProps, componentWorkload, microserviceProps } from './component';
import { ContainerPort, Exposure, HealthCheck, Microservice, Volume } from '../core';

/** Props of {@link WebFrontEnd}: a component's props, with its image and resources decided. */
export interface WebFrontEndProps extends ComponentProps {
  /** Exact name of the Deployment and Service. */
  readonly name: string;
  /** Image with an explicit tag. */
  readonly image: string;
  /** Whether `image` is the component's stock image, published only as `latest`. */
  readonly stockImage: boolean;
  /** How it is reached from outside. */
  readonly exposure: Exposure;
  /** CPU and memory. */
  readonly resources: ContainerResources;
  /**
   * Pin each client to one pod.
   * @default false
   */
  readonly stickySessions?: boolean;
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: Record<string, EnvValue>;
}

/**
 * One of the voting app's two web pages (vote, result): a stock image that
 * runs as root and serves HTTP on port 80.
 *
 * `GET /` renders the page without touching redis or postgres, so an outage
 * behind it makes no pod unready or restart. The process keeps root (the
 * images need it) with every capability dropped and a read-only root: the
 * safe sysctl `net.ipv4.ip_unprivileged_port_start` lets it bind port 80, and
 * /tmp is its only writable place (gunicorn heartbeats, node temp files).
 */
export class WebFrontEnd extends Construct {
  /** The Deployment and Service. */
  public readonly workload: Microservice;

  constructor(scope: Construct, id: string, props: WebFrontEndProps) {
    super(scope, id);
    const http = ContainerPort.tcp('http', 80);
    this.workload = new Microservice(this, 'Workload', microserviceProps(componentWorkload(props, props.name, 'frontend', { image: props.image, resources: props.resources }), {
      allowLatestTag: props.stockImage,
      ports: [http],
      service: props.exposure.toServiceOptions(http, props.stickySessions ?? false),
      env: props.env,
      readiness: HealthCheck.httpGet('/', http, { period: Duration.seconds(5), timeout: Duration.seconds(2) }),
      liveness: HealthCheck.httpGet('/', http, { initialDelay: Duration.seconds(10), period: Duration.seconds(20), timeout: Duration.seconds(5), failureThreshold: 6 }),
      security: { unprivilegedPortStart: 80 },
      volumes: [{ path: '/tmp', volume: Volume.emptyDir('tmp', { sizeLimit: Size.mebibytes(64) }) }],
    }));
  }
}
