import { Construct } from 'constructs';
import { Exposure, VotingAppChart } from '../lib';

/** The managed database of the seed documents' "connect to RDS" case. */
export const MANAGED_DATABASE_HOST = 'mydb.amazonaws.com';

/**
 * The voting app against a managed postgres (Amazon RDS, Cloud SQL, ...):
 * `db` is an ExternalName Service pointing at the database's host, so worker
 * and result keep connecting to the `db` name their images hard-code; no db
 * Deployment, Secret or volume is written. The stock images log in as
 * postgres/postgres, so the managed database needs that user, or rebuilt images.
 * A managed database means a cloud: the front ends are LoadBalancers.
 */
export class VotingAppRdsExample extends VotingAppChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      namespace: 'example-voting-app-rds',
      externalDatabase: { host: MANAGED_DATABASE_HOST },
      voteExposure: Exposure.loadBalancer(80),
      resultExposure: Exposure.loadBalancer(80),
    });
  }
}
