import { ContainerResources } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { VOTING_APP } from './component';
import { Postgres } from './postgres';
import { Redis } from './redis';
import { Result } from './result';
import { BallotOptions, Vote } from './vote';
import { Worker } from './worker';
import { Autoscaling, Credentials, DisruptionBudget, Exposure, ExternalNameService, IngressPolicy, Microservice, Persistence, ProblemCode, Problems } from '../core';

/** Images of the five components; each needs an explicit tag. */
export interface VotingAppImages {
  /** @default 'dockersamples/examplevotingapp_vote:latest' (published only as latest; allowed on purpose) */
  readonly vote?: string;
  /** @default 'dockersamples/examplevotingapp_result:latest' (published only as latest; allowed on purpose) */
  readonly result?: string;
  /** @default 'dockersamples/examplevotingapp_worker:latest' (published only as latest; allowed on purpose) */
  readonly worker?: string;
  /** @default 'redis:7-alpine' */
  readonly redis?: string;
  /** @default 'postgres:15-alpine' */
  readonly postgres?: string;
}

/** Replicas of the stateless components (redis and db run one pod each). */
export interface VotingAppReplicas {
  /** @default 1 */
  readonly vote?: number;
  /**
   * More than 1 needs `resultStickySessions`, and adds a PodDisruptionBudget
   * (`maxUnavailable: 1`) so a node drain leaves a result pod serving.
   * @default 1
   */
  readonly result?: number;
  /** @default 1 */
  readonly worker?: number;
}

/** CPU and memory of each component. */
export interface VotingAppResources {
  /** @default - CPU request 100m; memory request 96Mi, limit 192Mi */
  readonly vote?: ContainerResources;
  /** @default - CPU request 100m; memory request 96Mi, limit 192Mi */
  readonly result?: ContainerResources;
  /** @default - CPU request 100m; memory request 128Mi, limit 256Mi */
  readonly worker?: ContainerResources;
  /** @default - CPU request 50m; memory request 64Mi, limit 128Mi */
  readonly redis?: ContainerResources;
  /** @default - CPU request 150m; memory request 256Mi, limit 512Mi */
  readonly postgres?: ContainerResources;
}

/** A managed postgres outside the cluster, used instead of the in-cluster `db`. */
export interface ExternalDatabaseOptions {
  /** Host name of the database, e.g. `votes.abc123.eu-west-1.rds.amazonaws.com`. */
  readonly host: string;
}

/** Props of {@link VotingApp}. */
export interface VotingAppProps {
  /**
   * The postgres credentials, delivered to `db` through a Secret. The stock
   * images hard-code `postgres`/`postgres`: see the README before choosing
   * anything else. Not used with `externalDatabase`.
   * @default - required unless `externalDatabase` is set
   */
  readonly credentials?: Credentials;
  /**
   * Use a managed postgres: `db` becomes an ExternalName Service pointing at
   * it and no db Deployment, Secret or volume is made.
   * @default - postgres runs in the cluster
   */
  readonly externalDatabase?: ExternalDatabaseOptions;
  /**
   * Namespace of every object. The apps find `redis` and `db` by short DNS
   * names, so all five must share one namespace.
   * @default - the enclosing Chart's namespace; a VotingAppChart creates its
   * own Namespace, `voting-app` (dev) or `voting-app-production` (production)
   */
  readonly namespace?: string;
  /**
   * `app.kubernetes.io/instance` of every object.
   * @default 'voting-app'
   */
  readonly instance?: string;
  /**
   * Container images.
   * @default - the stock images, see {@link VotingAppImages}
   */
  readonly images?: VotingAppImages;
  /**
   * Replicas.
   * @default - 1 each
   */
  readonly replicas?: VotingAppReplicas;
  /**
   * CPU and memory.
   * @default - see {@link VotingAppResources} (the stack requests 500m CPU, 640Mi)
   */
  readonly resources?: VotingAppResources;
  /**
   * How voters reach vote.
   * @default Exposure.nodePort(8080, 31000)
   */
  readonly voteExposure?: Exposure;
  /**
   * The two choices on the vote page (`OPTION_A`, `OPTION_B`). The result image reads no
   * options: its page keeps its own labels, Cats and Dogs.
   * @default - the image's own: Cats and Dogs
   */
  readonly ballot?: BallotOptions;
  /**
   * How viewers reach result.
   * @default Exposure.nodePort(8081, 31001)
   */
  readonly resultExposure?: Exposure;
  /**
   * Sticky sessions on the result Service, required for more than one result pod.
   * @default false
   */
  readonly resultStickySessions?: boolean;
  /**
   * Where postgres keeps its data.
   * @default Persistence.ephemeral()
   */
  readonly persistence?: Persistence;
  /**
   * Where redis keeps the votes not yet counted. A claim keeps them through a
   * restart of redis: it writes every vote to an append-only file on the claim
   * before answering, and is replaced by Recreate (two servers must not share
   * the file). Ephemeral, a restart of the pod loses the queue.
   * @default Persistence.ephemeral()
   */
  readonly redisPersistence?: Persistence;
  /**
   * NetworkPolicies: only worker and result reach db; only vote and worker
   * reach redis; nothing reaches worker.
   * @default true
   */
  readonly networkPolicies?: boolean;
  /**
   * Spread the pods of each component across nodes.
   * @default false
   */
  readonly spreadAcrossNodes?: boolean;
  /**
   * A HorizontalPodAutoscaler and a PodDisruptionBudget for vote and worker,
   * scaling from their replicas (at least 2) up to 5, or twice their replicas.
   * @default false
   */
  readonly autoscaling?: boolean;
}

/**
 * Docker's example voting app: vote -> redis -> worker -> db -> result.
 *
 * One construct per component; this one only wires them: the shared
 * namespace and instance, the credentials and the network policies.
 */
export class VotingApp extends Construct {
  /** The voting page: its Deployment and Service. */
  public readonly vote: Microservice;
  /** The results page: its Deployment and Service. */
  public readonly result: Microservice;
  /** The worker that moves votes from redis to db. */
  public readonly worker: Microservice;
  /** The redis queue: its Deployment and Service. */
  public readonly redis: Microservice;
  /** The in-cluster postgres, unless an external database is used. */
  public readonly db?: Microservice;
  /** The `db` name of an external database, if one is used. */
  public readonly externalDb?: ExternalNameService;

  constructor(scope: Construct, id: string, props: VotingAppProps) {
    super(scope, id);
    const instance = props.instance ?? VOTING_APP;
    const found = Problems.of(this);
    found.checkName('instance', instance);
    const networkPolicies = props.networkPolicies ?? true;
    // Each component's props: Object.assign({}, common, ...) rather than a spread (see microserviceProps).
    const common = { namespace: props.namespace, instance, spreadAcrossNodes: props.spreadAcrossNodes, networkPolicies };
    const images = props.images ?? {};
    const replicas = props.replicas ?? {};
    const resources = props.resources ?? {};

    this.redis = new Redis(this, 'Redis', Object.assign({}, common, { image: images.redis, resources: resources.redis, persistence: props.redisPersistence })).workload;
    if (props.externalDatabase) {
      // Reported by synth with every other problem; nothing is then written.
      found.check(props.credentials === undefined && props.persistence === undefined && images.postgres === undefined && resources.postgres === undefined,
        ProblemCode.CONFLICTING_SETTINGS, 'externalDatabase is set together with in-cluster database settings (credentials, persistence, postgres image or resources)',
        'drop those settings: the external database keeps its own credentials and data');
      // The apps connect to "db:5432"; a CNAME keeps that name working.
      this.externalDb = new ExternalNameService(this, 'ExternalDb', {
        name: 'db', namespace: props.namespace, externalName: props.externalDatabase.host, ports: [5432], instance, partOf: VOTING_APP,
      });
    } else if (props.credentials !== undefined) {
      this.db = new Postgres(this, 'Db', Object.assign({}, common, {
        image: images.postgres, resources: resources.postgres, credentials: props.credentials, persistence: props.persistence,
      })).workload;
    } else {
      // No db is built, and so nothing connects to one: there is nothing else to report.
      found.report(ProblemCode.MISSING_SETTING, 'no database credentials given',
        'pass credentials: Credentials.fromPassword(...) or Credentials.fromSecret(...), or use externalDatabase');
    }
    this.vote = new Vote(this, 'Vote', Object.assign({}, common, {
      image: images.vote, resources: resources.vote, replicas: replicas.vote, exposure: props.voteExposure, options: props.ballot,
    })).workload;
    this.worker = new Worker(this, 'Worker', Object.assign({}, common, { image: images.worker, resources: resources.worker, replicas: replicas.worker })).workload;
    this.result = new Result(this, 'Result', Object.assign({}, common, {
      image: images.result, resources: resources.result, replicas: replicas.result,
      exposure: props.resultExposure, stickySessions: props.resultStickySessions,
    })).workload;

    // Who talks to whom, stated once: the ingress policies of redis and db follow from it.
    this.vote.connectTo(this.redis);
    this.worker.connectTo(this.redis);
    if (this.db) {
      this.worker.connectTo(this.db);
      this.result.connectTo(this.db);
    }

    if (props.autoscaling) {
      new Autoscaling(this, 'VoteAutoscaling', { target: this.vote });
      new Autoscaling(this, 'WorkerAutoscaling', { target: this.worker });
    }
    // A drain takes one result pod at a time, so viewers always have one to reconnect to.
    if ((this.result.replicas ?? 1) > 1) {
      new DisruptionBudget(this, 'ResultBudget', { target: this.result });
    }

    // What connections cannot say: nothing reaches worker, and anyone reaches the two front ends.
    if (networkPolicies) {
      new IngressPolicy(this, 'WorkerIngress', { target: this.worker });
      new IngressPolicy(this, 'VoteIngress', { target: this.vote, fromAnywhere: true });
      new IngressPolicy(this, 'ResultIngress', { target: this.result, fromAnywhere: true });
    }
  }
}
