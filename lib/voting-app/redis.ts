import { Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentProps, componentWorkload, microserviceProps } from './component';
import { AppLabels, ContainerPort, DeploymentStrategy, HealthCheck, Microservice, Persistence, Problems, Volume } from '../core';

/** Props of {@link Redis}. */
export interface RedisProps extends ComponentProps {
  /**
   * Where the queue lives. A claim keeps it through a restart: redis then
   * writes every command to an append-only file before it answers, and
   * flushes it when it stops; the Deployment is replaced by Recreate.
   * @default Persistence.ephemeral()
   */
  readonly persistence?: Persistence;
}

/**
 * The vote queue: redis behind the ClusterIP Service `redis` on 6379, the
 * name vote and worker have hard-coded. One replica only: the worker pins one
 * resolved address, so a second replica would lose votes. On a claim, each
 * vote is on disk before redis confirms it to vote.
 */
export class Redis extends Construct {
  /** The image used unless `image` is given; pinned to a major version. */
  public static readonly DEFAULT_IMAGE = 'redis:7-alpine';
  /** The resources used unless `resources` is given. */
  public static readonly DEFAULT_RESOURCES: ContainerResources = { cpu: { request: Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } };
  /** uid and gid of the `redis` user in the official alpine image. */
  public static readonly USER = 999;
  public static readonly GROUP = 1000;
  /** Where redis writes its files: the volume, an emptyDir or the claim. */
  public static readonly DATA_MOUNT = '/data';

  /** The Deployment and Service. */
  public readonly workload: Microservice;

  constructor(scope: Construct, id: string, props: RedisProps = {}) {
    super(scope, id);
    // Reported by synth with every other problem; the manifests are then not written.
    Problems.of(this).checkInteger('redis replicas', props.replicas ?? 1, 0, 1);
    const port = ContainerPort.tcp('redis', 6379);
    const workload = componentWorkload(props, 'redis', 'queue', { image: Redis.DEFAULT_IMAGE, resources: Redis.DEFAULT_RESOURCES });
    const persistence = props.persistence ?? Persistence.ephemeral();
    // The claim carries the labels of the Deployment it belongs to.
    const data = persistence.persistent
      ? persistence.bind(this, 'data', 'redis-data', new AppLabels(workload), props.namespace)
      // Bounded, so a runaway writer cannot fill the node's disk: twice the memory limit holds a
      // dump and the temporary file redis writes beside it while rewriting it.
      : Volume.emptyDir('data', { sizeLimit: Size.mebibytes(256) });
    const appendOnly = persistence.persistent ? {
      // Append-only file, fsynced before each answer (redis groups the writes of one event
      // loop turn into one fsync), so a vote confirmed to vote survives even a killed
      // redis; on SIGTERM redis 7 flushes the file and writes its snapshot, then exits.
      args: ['redis-server', '--appendonly', 'yes', '--appendfsync', 'always'],
      // Two servers must never share one append-only file.
      strategy: DeploymentStrategy.RECREATE,
      // Stated, not left to the default: the final flush and snapshot of a queue within the
      // 128Mi memory limit take a second or two, well inside it.
      shutdown: { gracePeriod: Duration.seconds(30) },
    } : {};
    this.workload = new Microservice(this, 'Workload', microserviceProps(workload, {
      ports: [port],
      // A PING must be answered PONG: a loading or broken server answers an error.
      readiness: HealthCheck.command(['sh', '-c', 'redis-cli ping | grep -q PONG'], { period: Duration.seconds(5), timeout: Duration.seconds(2) }),
      liveness: HealthCheck.tcpSocket(port, { initialDelay: Duration.seconds(5), period: Duration.seconds(10), failureThreshold: 6 }),
      // Non-root as the image's redis user (fsGroup: its group owns the claim); /data is the only place it writes.
      security: { user: Redis.USER, group: Redis.GROUP },
      volumes: [{ path: Redis.DATA_MOUNT, volume: data }],
    }, appendOnly));
  }
}
