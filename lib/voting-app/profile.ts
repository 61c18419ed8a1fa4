import { Size } from 'cdk8s';
import { VotingAppProps } from './voting-app';
import { Credentials, Exposure, Persistence } from '../core';

/** Ready-made sets of settings for the voting app. */
export enum Profile {
  /**
   * A laptop cluster: NodePort 31000/31001, ephemeral postgres, one replica
   * each, credentials from a Secret the app creates.
   */
  DEV = 'dev',
  /**
   * A cloud cluster: LoadBalancer Services, postgres on a 10 GiB
   * PersistentVolumeClaim and redis on a 1 GiB one (append-only file),
   * credentials from the existing Secret `voting-app-db` (keys `username`,
   * `password`), vote and worker at 2 replicas with autoscaling and disruption
   * budgets, result at 2 replicas with sticky sessions and a disruption
   * budget, pods spread across nodes.
   */
  PRODUCTION = 'production',
}

/** The Secret the production profile expects to exist. */
export const PRODUCTION_DB_SECRET = 'voting-app-db';

/** The settings a profile stands for; explicit props override them. */
export function profileDefaults(profile: Profile): Partial<VotingAppProps> {
  switch (profile) {
    case Profile.DEV:
      return {};
    case Profile.PRODUCTION:
      return {
        voteExposure: Exposure.loadBalancer(80),
        resultExposure: Exposure.loadBalancer(80),
        persistence: Persistence.claim({ size: Size.gibibytes(10) }),
        // The queue of votes not yet counted survives a restart of redis.
        redisPersistence: Persistence.claim({ size: Size.gibibytes(1) }),
        credentials: Credentials.fromSecretName(PRODUCTION_DB_SECRET),
        // Two of each front end, so a drain or an update always leaves one serving;
        // socket.io needs each viewer to stay on one result pod.
        replicas: { vote: 2, worker: 2, result: 2 },
        resultStickySessions: true,
        autoscaling: true,
        spreadAcrossNodes: true,
      };
  }
}
