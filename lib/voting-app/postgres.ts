import { Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu, EnvValue } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentProps, componentWorkload, microserviceProps } from './component';
import { AppLabels, BoundCredentials, ContainerPort, Credentials, DeploymentStrategy, HealthCheck, Microservice, Persistence, Problems, Volume } from '../core';

/** Props of {@link Postgres}. */
export interface PostgresProps extends ComponentProps {
  /** The superuser's name and password, delivered through a Secret. */
  readonly credentials: Credentials;
  /**
   * Where the data lives.
   * @default Persistence.ephemeral()
   */
  readonly persistence?: Persistence;
}

/**
 * The vote store: postgres behind the ClusterIP Service `db` on 5432, the
 * name worker and result have hard-coded. User and password come from a
 * Secret through `secretKeyRef`; the data directory is a subdirectory of the
 * mounted volume, since a fresh volume may hold `lost+found`, which initdb refuses.
 */
export class Postgres extends Construct {
  /** The image used unless `image` is given. */
  public static readonly DEFAULT_IMAGE = 'postgres:15-alpine';
  /** The resources used unless `resources` is given. */
  public static readonly DEFAULT_RESOURCES: ContainerResources = { cpu: { request: Cpu.millis(150) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } };
  /** uid and gid of the `postgres` user in the official alpine image. */
  public static readonly USER = 70;
  /** Where the volume is mounted. */
  public static readonly DATA_MOUNT = '/var/lib/postgresql/data';

  /** The Deployment and Service. */
  public readonly workload: Microservice;
  /** Where the credentials live. */
  public readonly credentials: BoundCredentials;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    // Reported by synth with every other problem; the manifests are then not written.
    Problems.of(this).checkInteger('db replicas', props.replicas ?? 1, 0, 1);
    const workload = componentWorkload(props, 'db', 'database', { image: Postgres.DEFAULT_IMAGE, resources: Postgres.DEFAULT_RESOURCES });
    // The Secret and the claim carry the labels of the Deployment they belong to.
    const labels = new AppLabels(workload);
    this.credentials = props.credentials.bind(this, { namespace: props.namespace, labels });
    const env = Credentials.envValues(this.credentials);
    const port = ContainerPort.tcp('postgres', 5432);
    const data = (props.persistence ?? Persistence.ephemeral()).bind(this, 'data', 'db-data', labels, props.namespace);
    // pg_isready over TCP: during initdb postgres listens on its socket only,
    // so this turns true only once the real server accepts connections.
    const ready = ['pg_isready', '-h', '127.0.0.1', '-p', '5432'];
    this.workload = new Microservice(this, 'Workload', microserviceProps(workload, {
      ports: [port],
      env: {
        POSTGRES_USER: env.username,
        POSTGRES_PASSWORD: env.password,
        PGDATA: EnvValue.fromValue(`${Postgres.DATA_MOUNT}/pgdata`),
      },
      // initdb on a slow disk can take minutes: allow 5 before liveness starts.
      startup: HealthCheck.command(ready, { period: Duration.seconds(5), timeout: Duration.seconds(3), failureThreshold: 60 }),
      readiness: HealthCheck.command(ready, { period: Duration.seconds(5), timeout: Duration.seconds(3) }),
      liveness: HealthCheck.tcpSocket(port, { period: Duration.seconds(10), timeout: Duration.seconds(3), failureThreshold: 6 }),
      security: { user: Postgres.USER, group: Postgres.USER },
      volumes: [
        { path: Postgres.DATA_MOUNT, volume: data },
        // The socket directory and /tmp: the root filesystem is read-only. Bounded, so a
        // runaway writer is evicted instead of filling the node's disk.
        { path: '/var/run/postgresql', volume: Volume.emptyDir('run', { sizeLimit: Size.mebibytes(16) }) },
        { path: '/tmp', volume: Volume.emptyDir('tmp', { sizeLimit: Size.mebibytes(64) }) },
      ],
      // Two postgres servers must never share one data directory.
      strategy: DeploymentStrategy.RECREATE,
    }));
  }
}
