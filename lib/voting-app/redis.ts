import { Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentProps, componentWorkload } from './component';
import { ContainerPort, HealthCheck, Microservice, Problems, Volume } from '../core';

/**
 * The vote queue: redis behind the ClusterIP Service `redis` on 6379, the
 * name vote and worker have hard-coded. One replica only: the worker pins one
 * resolved address, so a second replica would lose votes.
 */
export class Redis extends Construct {
  /** The image used unless `image` is given; pinned to a major version. */
  public static readonly DEFAULT_IMAGE = 'redis:7-alpine';
  /** The resources used unless `resources` is given. */
  public static readonly DEFAULT_RESOURCES: ContainerResources = { cpu: { request: Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } };
  /** uid and gid of the `redis` user in the official alpine image. */
  public static readonly USER = 999;
  public static readonly GROUP = 1000;

  /** The Deployment and Service. */
  public readonly workload: Microservice;

  constructor(scope: Construct, id: string, props: ComponentProps = {}) {
    super(scope, id);
    // Reported by synth with every other problem; the manifests are then not written.
    Problems.of(this).checkInteger('redis replicas', props.replicas ?? 1, 0, 1);
    const port = ContainerPort.tcp('redis', 6379);
    this.workload = new Microservice(this, 'Workload', {
      ...componentWorkload(props, 'redis', 'queue', { image: Redis.DEFAULT_IMAGE, resources: Redis.DEFAULT_RESOURCES }),
      ports: [port],
      // A PING must be answered PONG: a loading or broken server answers an error.
      readiness: HealthCheck.command(['sh', '-c', 'redis-cli ping | grep -q PONG'], { period: Duration.seconds(5), timeout: Duration.seconds(2) }),
      liveness: HealthCheck.tcpSocket(port, { initialDelay: Duration.seconds(5), period: Duration.seconds(10), failureThreshold: 6 }),
      // Non-root as the image's redis user; /data is the only place it writes.
      security: { user: Redis.USER, group: Redis.GROUP },
      // Bounded, so a runaway writer cannot fill the node's disk: twice the memory limit holds a
      // dump and the temporary file redis writes beside it while rewriting it.
      volumes: [{ path: '/data', volume: Volume.emptyDir('data', { sizeLimit: Size.mebibytes(256) }) }],
    });
  }
}
