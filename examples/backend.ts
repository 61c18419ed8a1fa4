import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppNamespace, IngressPolicy } from '../lib';
import { echoServer, httpClient } from './echo';

/**
 * Seed example: a `backend` (an HTTP echo server listening on 5678) behind the
 * ClusterIP Service `backend-svc`, port 9090 -> targetPort 5678, and a client
 * that reaches it by name at http://backend-svc:9090.
 */
export class BackendExample extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const ns = new AppNamespace(this, 'Namespace', { name: 'example-backend' });
    const backend = echoServer(this, 'Backend', {
      name: 'backend', namespace: ns.name, text: 'hello from backend',
      service: http => ({ name: 'backend-svc', ports: [{ port: 9090, target: http }] }),
    });
    const client = httpClient(this, 'Client', { name: 'client', namespace: ns.name, servers: [backend] });
    new IngressPolicy(this, 'BackendIngress', { target: backend });
    new IngressPolicy(this, 'ClientIngress', { target: client });
  }
}
