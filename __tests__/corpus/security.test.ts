import { App, Chart } from 'cdk8s';
import { EnvValue, Secret } from 'cdk8s-plus-28';
import { ContainerPort, ExternalObjects, HealthCheck, Microservice } from '../../lib';
import { codesOf } from '../support/problems';

// Small apps as a user would type them, each with the exact codes synth must
// give: what a real cluster refuses or cannot run, and nothing valid refused.

/** A shop: a front end on port 80 and an API that reads its database password from a Secret. */
function shop(tweak: { web?: object; api?: object } = {}): App {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const db = Secret.fromSecretName(chart, 'db', 'db-credentials');
  ExternalObjects.secret(chart, 'db-credentials', { namespace: 'shop', keys: ['password'] });
  const http = ContainerPort.tcp('http', 8080);
  const api = new Microservice(chart, 'api', {
    image: 'registry.example.com/shop/api:2.3.1',
    ports: [http],
    readiness: HealthCheck.httpGet('/healthz', http),
    env: {
      DB_PASSWORD: EnvValue.fromSecretValue({ secret: db, key: 'password' }),
      DATABASE_URL: EnvValue.fromValue('postgres://shop:$(DB_PASSWORD)@postgres:5432/shop?sslmode=require'),
      PAYMENTS_URL: EnvValue.fromValue('https://payments.example.com/v1'),
    },
    args: ['serve', '--db-password=$(DB_PASSWORD)'],
    security: { user: 10001, group: 10001 },
    ...tweak.api,
  });
  const web = ContainerPort.tcp('web', 80);
  new Microservice(chart, 'web', {
    image: 'nginx:1.27-alpine',
    ports: [web],
    service: { ports: [{ port: 80, target: web }] },
    liveness: HealthCheck.tcpSocket(web),
    security: { unprivilegedPortStart: 80, capabilities: ['CHOWN', 'SETUID', 'SETGID'] },
    ...tweak.web,
  }).connectTo(api);
  return app;
}

describe('corpus: security settings, probes and credentials', () => {
  test('GIVEN the shop as written THEN synth gives no problem', () => {
    expect(codesOf(shop())).toEqual([]);
  });

  test('GIVEN a front end that runs as root on purpose (user 0) THEN synth gives no problem, and no runAsNonRoot the kubelet would refuse', () => {
    expect(codesOf(shop({ web: { security: { user: 0, unprivilegedPortStart: 80 } } }))).toEqual([]);
  });

  test('GIVEN an API whose user is a negative number THEN the API server would refuse the Deployment: CVA110', () => {
    expect(codesOf(shop({ api: { security: { user: -1 } } }))).toEqual(['CVA110']);
  });

  test('GIVEN a front end that keeps NET_BIND (no such capability) THEN the runtime would ignore it: CVA113', () => {
    expect(codesOf(shop({ web: { security: { capabilities: ['NET_BIND'] } } }))).toEqual(['CVA113']);
  });

  test('GIVEN a front end that keeps CAP_NET_BIND_SERVICE THEN containerd would ignore it: CVA113', () => {
    expect(codesOf(shop({ web: { security: { capabilities: ['CAP_NET_BIND_SERVICE'] } } }))).toEqual(['CVA113']);
  });

  test('GIVEN a front end that keeps net_bind_service THEN Pod Security would refuse it, a warning: CVA111', () => {
    expect(codesOf(shop({ web: { security: { capabilities: ['net_bind_service'] } } }))).toEqual(['CVA111']);
  });

  test('GIVEN a front end whose unprivileged ports start at 40000 THEN the kernel would refuse the sysctl: CVA113', () => {
    expect(codesOf(shop({ web: { security: { unprivilegedPortStart: 40000 } } }))).toEqual(['CVA113']);
  });

  test('GIVEN an API with its database password inside DATABASE_URL THEN the password is in plain text: CVA105', () => {
    expect(codesOf(shop({ api: { env: { DATABASE_URL: EnvValue.fromValue('postgres://shop:s3cr3t@postgres:5432/shop') } } }))).toEqual(['CVA105']);
  });

  test('GIVEN an API started with --db-password=s3cr3t THEN the password is in plain text: CVA105', () => {
    expect(codesOf(shop({ api: { args: ['serve', '--db-password=s3cr3t'] } }))).toEqual(['CVA105']);
  });

  test('GIVEN a DNS server whose liveness check opens a TCP connection to its UDP port THEN the check can never pass: CVA112', () => {
    const app = new App();
    const chart = new Chart(app, 'dns', { namespace: 'dns' });
    const dns = ContainerPort.udp('dns', 53);
    new Microservice(chart, 'coredns', {
      image: 'coredns/coredns:1.11.1',
      ports: [dns, ContainerPort.tcp('health', 8080)],
      liveness: HealthCheck.tcpSocket(dns),
      security: { user: 65532, capabilities: ['NET_BIND_SERVICE'] },
    });
    expect(codesOf(app)).toEqual(['CVA112']);
  });
});
