import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppNamespace, ExternalNameService } from '../lib';

/**
 * Seed example: the ExternalName Service `db-svc`, a stable in-cluster name
 * for the managed database `mydb.amazonaws.com`.
 */
export class ExternalDatabaseExample extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const ns = new AppNamespace(this, 'Namespace', { name: 'example-external-db' });
    new ExternalNameService(this, 'DbSvc', { name: 'db-svc', namespace: ns.name, externalName: 'mydb.amazonaws.com', ports: [5432] });
  }
}
