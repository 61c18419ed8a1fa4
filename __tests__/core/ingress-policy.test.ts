import { App, Chart } from 'cdk8s';
import { ContainerPort, IngressPolicy, Microservice } from '../../lib';
import { find, ingressAllowed, synth } from '../support/manifests';

describe('IngressPolicy', () => {
  function setup(namespaceOfClient?: string) {
    const chart = new Chart(new App(), 'c');
    const port = ContainerPort.tcp('api', 9090);
    const api = new Microservice(chart, 'api', { image: 'example/api:1.0', ports: [port] });
    const web = new Microservice(chart, 'web', { image: 'example/web:1.0', namespace: namespaceOfClient });
    const batch = new Microservice(chart, 'batch', { image: 'example/batch:1.0' });
    return { chart, api, web, batch, port };
  }

  test('GIVEN allowed clients THEN only they reach the target, on its port', () => {
    const { chart, api, web, batch } = setup();
    new IngressPolicy(chart, 'p', { target: api, from: [web] });
    const objects = synth(chart);
    const labels = (n: string) => find(objects, 'Deployment', n).spec.template.metadata.labels;
    expect(ingressAllowed(objects, labels('web'), labels('api'), 9090)).toBe(true);
    expect(ingressAllowed(objects, labels('web'), labels('api'), 22)).toBe(false);
    expect(ingressAllowed(objects, labels('batch'), labels('api'), 9090)).toBe(false);
    expect(find(objects, 'NetworkPolicy', 'api-ingress').spec.policyTypes).toEqual(['Ingress']);
    void batch;
  });

  test('GIVEN a target without ports THEN its rule writes no ports field, never ports: []', () => {
    const { chart, web, batch } = setup();
    new IngressPolicy(chart, 'p', { target: batch, from: [web] });
    const rule = find(synth(chart), 'NetworkPolicy', 'batch-ingress').spec.ingress[0];
    expect(rule).toEqual({ from: [{ podSelector: { matchLabels: web.labels.selector } }] });
  });

  test('GIVEN no clients THEN all ingress is denied', () => {
    const { chart, api } = setup();
    new IngressPolicy(chart, 'p', { target: api });
    const policy = find(synth(chart), 'NetworkPolicy', 'api-ingress');
    // policyTypes [Ingress] with no rules denies all; no empty list the server would drop.
    expect(policy.spec).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } }, policyTypes: ['Ingress'] });
  });

  test('GIVEN fromAnywhere THEN every source may connect, but only on the target\'s ports', () => {
    const { chart, api, batch } = setup();
    new IngressPolicy(chart, 'p', { target: api, fromAnywhere: true });
    const objects = synth(chart);
    const labels = (n: string) => find(objects, 'Deployment', n).spec.template.metadata.labels;
    expect(ingressAllowed(objects, labels('batch'), labels('api'), 9090)).toBe(true);
    expect(ingressAllowed(objects, { anything: 'else' }, labels('api'), 9090)).toBe(true);
    expect(ingressAllowed(objects, labels('batch'), labels('api'), 22)).toBe(false);
    expect(() => new IngressPolicy(chart, 'p2', { target: api, fromAnywhere: true, from: [batch] })).toThrow('[c/p2] both fromAnywhere and from are set. Fix: use one of them');
  });

  test('rejects a port the target does not have, and a client in another namespace', () => {
    const { chart, api, web } = setup('other');
    expect(() => new IngressPolicy(chart, 'p1', { target: api, ports: [ContainerPort.tcp('ssh', 22)] })).toThrow(
      '[c/p1] port ssh (22) is not a port of api. Fix: use one of: api (9090)');
    expect(() => new IngressPolicy(chart, 'p2', { target: api, from: [web] })).toThrow(
      '[c/p2] web is in namespace "other" but api in "<chart>". Fix: put both in one namespace; cross-namespace rules need a namespaceSelector this construct does not write');
  });
});
