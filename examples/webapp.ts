import { Chart, Size } from 'cdk8s';
import { Cpu, ServiceType } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppNamespace, ContainerPort, DisruptionBudget, HealthCheck, IngressPolicy, Microservice, Volume } from '../lib';

/**
 * Seed example: an nginx `webapp` with 3 replicas behind the NodePort Service
 * `my-web-service` on node port 30080 (port 80 -> container port 80), reached
 * as http://<node IP>:30080.
 */
export class WebappExample extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const ns = new AppNamespace(this, 'Namespace', { name: 'example-webapp' });
    const http = ContainerPort.tcp('http', 80);
    const webapp = new Microservice(this, 'Webapp', {
      name: 'webapp',
      namespace: ns.name,
      image: 'nginx:1.27-alpine',
      replicas: 3,
      // Three replicas are for availability: keep them on different nodes where there are any.
      spreadAcrossNodes: true,
      ports: [http],
      service: { name: 'my-web-service', type: ServiceType.NODE_PORT, ports: [{ port: 80, target: http, nodePort: 30080 }] },
      resources: { cpu: { request: Cpu.millis(50) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) } },
      readiness: HealthCheck.httpGet('/', http),
      liveness: HealthCheck.httpGet('/', http, { failureThreshold: 6 }),
      // Stock nginx runs as any non-root user when the places it writes are
      // volumes; the sysctl lets it bind port 80 without a capability.
      security: { user: 10101, group: 10101, unprivilegedPortStart: 80 },
      volumes: [
        { path: '/var/cache/nginx', volume: Volume.emptyDir('cache', { sizeLimit: Size.mebibytes(128) }) },
        { path: '/var/run', volume: Volume.emptyDir('run', { sizeLimit: Size.mebibytes(16) }) },
        { path: '/tmp', volume: Volume.emptyDir('tmp', { sizeLimit: Size.mebibytes(64) }) },
      ],
    });
    new IngressPolicy(this, 'WebappIngress', { target: webapp, fromAnywhere: true });
    // A node drain takes one replica at a time, so two keep serving.
    new DisruptionBudget(this, 'WebappBudget', { target: webapp });
  }
}
