import { App, Chart } from 'cdk8s';
import { ContainerPort, Credentials, Microservice, NodePortRange, VotingAppFleet } from '../../lib';
import { NodePortAllocator } from '../../lib/core/node-port-allocator';
import { validateApp } from '../../lib/synth/synthesizer';
import { Manifest, ofKind, podsSelectedBy, synth } from '../support/manifests';
import { ServiceType } from 'cdk8s-plus-28';
import { messagesOf } from '../support/problems';

const credentials = Credentials.fromPassword({ password: 'p' });

function fleet(tenants: number, before?: (app: App) => void): { objects: Manifest[]; chart: VotingAppFleet; app: App } {
  const app = new App();
  before?.(app);
  const chart = new VotingAppFleet(app, 'fleet', { tenants, credentials });
  return { objects: synth(chart), chart, app };
}

describe('VotingAppFleet', () => {
  test('GIVEN 3 tenants THEN each gets its own namespace with the whole stack', () => {
    const { objects, app } = fleet(3);
    expect(messagesOf(validateApp(app))).toEqual([]);
    expect(ofKind(objects, 'Namespace').map(n => n.metadata.name)).toEqual(['tenant-001', 'tenant-002', 'tenant-003']);
    for (const ns of ['tenant-001', 'tenant-002', 'tenant-003']) {
      const inNs = objects.filter(o => o.metadata.namespace === ns);
      expect(ofKind(inNs, 'Deployment').map(d => d.metadata.name).sort()).toEqual(['db', 'redis', 'result', 'vote', 'worker']);
      for (const svc of ofKind(inNs, 'Service')) {
        expect(podsSelectedBy(objects, svc)).toHaveLength(1);
        expect(svc.spec.selector['app.kubernetes.io/instance']).toBe(ns);
      }
      expect(ofKind(inNs, 'Secret')).toHaveLength(1);
    }
  });

  test('node ports are allocated in order, two per tenant, never twice', () => {
    const { chart, objects } = fleet(4);
    expect(chart.tenants.map(t => [t.voteNodePort, t.resultNodePort])).toEqual([[30000, 30001], [30002, 30003], [30004, 30005], [30006, 30007]]);
    const ports = ofKind(objects, 'Service').flatMap(s => s.spec.ports.map((p: { nodePort?: number }) => p.nodePort)).filter(Boolean);
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports).toHaveLength(8);
  });

  test('allocation is deterministic', () => {
    expect(JSON.stringify(fleet(5).objects)).toBe(JSON.stringify(fleet(5).objects));
  });

  test('node ports already used in the App are skipped', () => {
    const { chart, app } = fleet(2, a => {
      const c = new Chart(a, 'other');
      const http = ContainerPort.tcp('http', 80);
      new Microservice(c, 'web', { image: 'nginx:1.27', ports: [http], service: { type: ServiceType.NODE_PORT, ports: [{ port: 80, target: http, nodePort: 30001 }] } });
    });
    expect(chart.tenants.map(t => [t.voteNodePort, t.resultNodePort])).toEqual([[30000, 30002], [30003, 30004]]);
    expect(messagesOf(validateApp(app))).toEqual([]);
  });

  test('GIVEN the fleet built before other charts THEN it still skips their node ports', () => {
    // GIVEN a fleet first, then a chart with fixed node ports inside the fleet's first choices
    const app = new App();
    const chart = new VotingAppFleet(app, 'fleet', { tenants: 2, credentials });
    const c = new Chart(app, 'other');
    const http = ContainerPort.tcp('http', 80);
    new Microservice(c, 'web', { image: 'nginx:1.27', ports: [http], service: { type: ServiceType.NODE_PORT, ports: [{ port: 80, target: http, nodePort: 30001 }] } });
    // THEN the fleet's ports are what they would be had it been built last
    expect(chart.tenants.map(t => [t.voteNodePort, t.resultNodePort])).toEqual([[30000, 30002], [30003, 30004]]);
    expect(messagesOf(validateApp(app))).toEqual([]);
  });

  test('GIVEN two fleets THEN the second draws after the first', () => {
    const app = new App();
    const first = new VotingAppFleet(app, 'first', { tenants: 1, credentials, namespacePrefix: 'a' });
    const second = new VotingAppFleet(app, 'second', { tenants: 1, credentials, namespacePrefix: 'b' });
    expect([...first.tenants, ...second.tenants].map(t => [t.voteNodePort, t.resultNodePort])).toEqual([[30000, 30001], [30002, 30003]]);
    expect(messagesOf(validateApp(app))).toEqual([]);
  });

  test('GIVEN a cluster with another node port range THEN the fleet draws from it, and a Service outside it is reported', () => {
    const app = new App();
    NodePortRange.configure(app, NodePortRange.of(20000, 20099));
    const chart = new VotingAppFleet(app, 'fleet', { tenants: 2, credentials });
    const c = new Chart(app, 'other');
    const http = ContainerPort.tcp('http', 80);
    new Microservice(c, 'web', { image: 'nginx:1.27', ports: [http], service: { type: ServiceType.NODE_PORT, ports: [{ port: 80, target: http, nodePort: 30001 }] } });
    expect(chart.tenants.map(t => [t.voteNodePort, t.resultNodePort])).toEqual([[20000, 20001], [20002, 20003]]);
    expect(messagesOf(validateApp(app))).toContain('[other/web] CVA204 node port must be an integer from 20000 to 20099, got 30001. Fix: set node port to an integer from 20000 to 20099');
  });

  test('GIVEN more tenants than the node port range holds THEN synth reports it once', () => {
    const app = new App();
    new VotingAppFleet(app, 'fleet', { tenants: 1400, credentials });
    expect(messagesOf(validateApp(app))).toEqual(['[fleet] CVA204 needs 2800 node ports but only 2768 of 30000-32767 are free. Fix: use fewer tenants, expose them with LoadBalancer or ClusterIP (no node port), or split them across clusters']);
  });

  test('GIVEN more tenants than the node port range holds THEN a clear error', () => {
    expect(() => fleet(1400)).toThrow('[fleet] CVA204 needs 2800 node ports but only 2768 of 30000-32767 are free. Fix: use fewer tenants, expose them with LoadBalancer or ClusterIP (no node port), or split them across clusters');
  });

  test('GIVEN 0 tenants THEN it says how many it takes', () => {
    expect(() => fleet(0)).toThrow('[fleet] CVA102 tenants must be an integer from 1 to 5000, got 0. Fix: set tenants to an integer from 1 to 5000');
  });

  test('NodePortAllocator skips reserved ports and counts what is free', () => {
    const a = new NodePortAllocator([30000, 30002]);
    expect(a.allocate(3)).toEqual([30001, 30003, 30004]);
    expect(a.allocate(3000)).toEqual([]);
    expect(a.free).toBe(2768 - 5);
  });
});
