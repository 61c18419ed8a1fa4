import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppNamespace, IngressPolicy } from '../lib';
import { echoServer, httpClient } from './echo';

/** The services the shop's front end calls, each behind a ClusterIP Service of that name. */
export const SHOP_SERVICES = ['user-service', 'cart-service', 'payment-service'];

/**
 * Seed example: a front end calling the ClusterIP Services `user-service`,
 * `cart-service` and `payment-service` by name, on port 80.
 */
export class ShopExample extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const ns = new AppNamespace(this, 'Namespace', { name: 'example-shop' });
    const services = SHOP_SERVICES.map(name =>
      echoServer(this, name, { name, namespace: ns.name, text: `hello from ${name}`, service: http => ({ ports: [{ port: 80, target: http }] }) }));
    const frontend = httpClient(this, 'Frontend', { name: 'frontend', namespace: ns.name, servers: services });
    services.forEach(s => new IngressPolicy(this, `${s.name}-ingress`, { target: s }));
    new IngressPolicy(this, 'FrontendIngress', { target: frontend });
  }
}
