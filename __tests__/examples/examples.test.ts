import { App, Chart } from 'cdk8s';
import { BackendExample, ExternalDatabaseExample, MANAGED_DATABASE_HOST, SHOP_SERVICES, ShopExample, VotingAppRdsExample, WebappExample } from '../../examples';
import { validateApp } from '../../lib/synth/synthesizer';
import { find, Manifest, ofKind, podsSelectedBy, synth } from '../support/manifests';
import { messagesOf } from '../support/problems';

function build<T extends Chart>(make: (app: App) => T): Manifest[] {
  const app = new App();
  const chart = make(app);
  expect(messagesOf(validateApp(app))).toEqual([]);
  return synth(chart);
}

describe('seed examples', () => {
  test('webapp: its three replicas spread across nodes', () => {
    const objects = build(app => new WebappExample(app, 'webapp'));
    const spec = find(objects, 'Deployment', 'webapp').spec.template.spec;
    expect(spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: find(objects, 'Deployment', 'webapp').spec.selector.matchLabels },
    }]);
  });

  test('webapp: a drain takes down at most one of its three replicas', () => {
    const objects = build(app => new WebappExample(app, 'webapp'));
    expect(find(objects, 'PodDisruptionBudget', 'webapp').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: find(objects, 'Deployment', 'webapp').spec.selector.matchLabels }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('webapp: nginx drains 5 s before it stops (its image has sleep), and an update keeps all three serving', () => {
    const spec = find(build(app => new WebappExample(app, 'webapp')), 'Deployment', 'webapp').spec;
    expect(spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    expect(spec.template.spec.terminationGracePeriodSeconds).toBe(35);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  });

  test('backend and shop: the echo servers (http-echo, FROM scratch, no sleep) get no preStop hook, which could only fail', () => {
    const echoes = [
      find(build(app => new BackendExample(app, 'backend')), 'Deployment', 'backend'),
      ...ofKind(build(app => new ShopExample(app, 'shop')), 'Deployment').filter(d => SHOP_SERVICES.includes(d.metadata.name)),
    ];
    expect(echoes).toHaveLength(4);
    for (const d of echoes) {
      expect(d.spec.template.spec.containers[0].image).toMatch(/^hashicorp\/http-echo:/);
      expect(d.spec.template.spec.containers[0].lifecycle).toBeUndefined();
      expect(d.spec.template.spec.terminationGracePeriodSeconds).toBeUndefined();
    }
  });

  test('webapp: every scratch emptyDir (nginx cache, run, tmp) has a size limit', () => {
    const objects = build(app => new WebappExample(app, 'webapp'));
    const volumes = find(objects, 'Deployment', 'webapp').spec.template.spec.volumes as { name: string; emptyDir?: { sizeLimit?: string } }[];
    expect(Object.fromEntries(volumes.map((v) => [v.name, v.emptyDir?.sizeLimit]))).toEqual({ cache: '128Mi', run: '16Mi', tmp: '64Mi' });
  });

  test('webapp: nginx, 3 replicas, NodePort Service my-web-service on 30080, port 80 -> 80', () => {
    const objects = build(app => new WebappExample(app, 'webapp'));
    expect(find(objects, 'Deployment', 'webapp').spec.replicas).toBe(3);
    expect(find(objects, 'Deployment', 'webapp').spec.template.spec.containers[0].image).toMatch(/^nginx:1\.27/);
    const svc = find(objects, 'Service', 'my-web-service');
    expect(svc.spec).toMatchObject({ type: 'NodePort', ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] });
    expect(podsSelectedBy(objects, svc).map(d => d.metadata.name)).toEqual(['webapp']);
  });

  test('backend: ClusterIP backend-svc 9090 -> 5678 in front of the echo server, and a client that calls it by name', () => {
    const objects = build(app => new BackendExample(app, 'backend'));
    const svc = find(objects, 'Service', 'backend-svc');
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 9090, targetPort: 5678 }] });
    const [backend] = podsSelectedBy(objects, svc);
    expect(backend.metadata.name).toBe('backend');
    expect(backend.spec.template.spec.containers[0].ports).toEqual([{ name: 'http', containerPort: 5678, protocol: 'TCP' }]);
    expect(backend.spec.template.spec.containers[0].args).toContain('-listen=:5678');
    expect(JSON.stringify(find(objects, 'Deployment', 'client').spec.template.spec.containers[0].command)).toContain('http://backend-svc:9090/');
  });

  test('external database: ExternalName db-svc -> mydb.amazonaws.com', () => {
    const objects = build(app => new ExternalDatabaseExample(app, 'ext'));
    expect(find(objects, 'Service', 'db-svc').spec).toMatchObject({ type: 'ExternalName', externalName: 'mydb.amazonaws.com' });
    expect(ofKind(objects, 'Deployment')).toHaveLength(0);
  });

  test('shop: a front end calling three ClusterIP Services by name', () => {
    const objects = build(app => new ShopExample(app, 'shop'));
    for (const name of SHOP_SERVICES) {
      const svc = find(objects, 'Service', name);
      expect(svc.spec.type).toBe('ClusterIP');
      expect(podsSelectedBy(objects, svc).map(d => d.metadata.name)).toEqual([name]);
    }
    const command = JSON.stringify(find(objects, 'Deployment', 'frontend').spec.template.spec.containers[0].command);
    SHOP_SERVICES.forEach(s => expect(command).toContain(`http://${s}/`));
  });

  test('voting app on a managed database: db is an ExternalName to it, nothing of postgres runs, front ends are LoadBalancers', () => {
    const objects = build(app => new VotingAppRdsExample(app, 'rds'));
    expect(find(objects, 'Service', 'db').spec).toMatchObject({ type: 'ExternalName', externalName: MANAGED_DATABASE_HOST });
    expect(ofKind(objects, 'Deployment').map(d => d.metadata.name).sort()).toEqual(['redis', 'result', 'vote', 'worker']);
    expect(ofKind(objects, 'Secret')).toEqual([]);
    expect(ofKind(objects, 'PersistentVolumeClaim')).toEqual([]);
    expect(['vote', 'result'].map(n => find(objects, 'Service', n).spec.type)).toEqual(['LoadBalancer', 'LoadBalancer']);
  });

  test('each example lives in its own namespace, created first in its file', () => {
    const namespaces = [WebappExample, BackendExample, ExternalDatabaseExample, ShopExample, VotingAppRdsExample].map(Example => {
      const objects = build(app => new Example(app, 'x'));
      expect(objects[0].kind).toBe('Namespace');
      objects.slice(1).forEach(o => expect(o.metadata.namespace).toBe(objects[0].metadata.name));
      return objects[0].metadata.name;
    });
    expect(new Set(namespaces).size).toBe(namespaces.length);
  });

  test.each([WebappExample, BackendExample, ExternalDatabaseExample, ShopExample, VotingAppRdsExample])('snapshot of %p', Example => {
    expect(build(app => new Example(app, 'example'))).toMatchSnapshot();
  });
});
