import { App, Chart } from 'cdk8s';
import { ContainerPort, IngressPolicy, Microservice, ProblemSeverity, Workload } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';
import { find, ingressAllowed, render, synth } from '../support/manifests';
import { messagesOf } from '../support/problems';

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
    new IngressPolicy(chart, 'p', { target: api, clients: [web] });
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
    new IngressPolicy(chart, 'p', { target: batch, clients: [web] });
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
    new IngressPolicy(chart, 'p2', { target: api, fromAnywhere: true, clients: [batch] });
    expect(messagesOf(validateApp(chart.node.root as App))).toContain('[c/p2] CVA108 both fromAnywhere and clients are set. Fix: use one of them');
  });

  test('GIVEN an empty ports list and connections to the target THEN only the list is reported, not the connections it would refuse', () => {
    const { chart, api, web } = setup();
    web.connectTo(api);
    new IngressPolicy(chart, 'p', { target: api, ports: [] });
    expect(messagesOf(validateApp(chart.node.root as App)).map(p => p.replace(/\. Fix: .*/, ''))).toEqual([
      '[c/p] CVA103 ports is an empty list, which reads as no port but would leave the rule open on every port',
    ]);
  });

  test('GIVEN an empty ports list THEN it is reported, with or without clients: a rule without ports would admit every port', () => {
    const { chart, api, web } = setup();
    new IngressPolicy(chart, 'open', { target: api, fromAnywhere: true, ports: [] });
    new IngressPolicy(chart, 'clients', { target: api, clients: [web], ports: [], name: 'api-from-web' });
    const fix = 'Fix: list the ports to allow, leave ports unset for every port of api, or leave out the IngressPolicy';
    expect(messagesOf(validateApp(chart.node.root as App))).toEqual([
      `[c/open] CVA103 ports is an empty list, which reads as no port but would leave the rule open on every port. ${fix}`,
      `[c/clients] CVA103 ports is an empty list, which reads as no port but would leave the rule open on every port. ${fix}`,
    ]);
  });

  test('rejects a port the target does not have', () => {
    const { chart, api } = setup();
    new IngressPolicy(chart, 'p1', { target: api, ports: [ContainerPort.tcp('ssh', 22)] });
    expect(messagesOf(validateApp(chart.node.root as App).filter(p => p.severity === ProblemSeverity.ERROR))).toEqual(['[c/p1] CVA202 port ssh (22) is not a port of api. Fix: use one of: api (9090)']);
  });

  describe('derived from connections', () => {
    test('GIVEN no from THEN it admits the connections declared to the target, also those declared after it', () => {
      const { chart, api, web, batch } = setup();
      // GIVEN a policy, then a connection declared after it
      new IngressPolicy(chart, 'p', { target: api });
      web.connectTo(api);
      // THEN the client of the connection gets in, and nobody else
      const objects = synth(chart);
      const labels = (n: string) => find(objects, 'Deployment', n).spec.template.metadata.labels;
      expect(ingressAllowed(objects, labels('web'), labels('api'), 9090)).toBe(true);
      expect(ingressAllowed(objects, labels('batch'), labels('api'), 9090)).toBe(false);
      void batch;
    });

    test('GIVEN connections on different ports THEN one rule per set of ports', () => {
      const chart = new Chart(new App(), 'c');
      const http = ContainerPort.tcp('http', 80);
      const admin = ContainerPort.tcp('admin', 9000);
      const api = new Microservice(chart, 'api', { image: 'example/api:1.0', ports: [http, admin] });
      const web = new Microservice(chart, 'web', { image: 'example/web:1.0' });
      const ops = new Microservice(chart, 'ops', { image: 'example/ops:1.0' });
      web.connectTo(api, { ports: [http] });
      ops.connectTo(api);
      new IngressPolicy(chart, 'p', { target: api });
      const rules = find(synth(chart), 'NetworkPolicy', 'api-ingress').spec.ingress;
      expect(rules).toEqual([
        { from: [{ podSelector: { matchLabels: web.podSelector } }], ports: [{ port: 80, protocol: 'TCP' }] },
        { from: [{ podSelector: { matchLabels: ops.podSelector } }], ports: [{ port: 80, protocol: 'TCP' }, { port: 9000, protocol: 'TCP' }] },
      ]);
    });

    test('GIVEN a connection to a port the target does not have THEN synth reports it on the connection, once: not again as a port its policy refuses', () => {
      const { chart, api, web } = setup();
      web.connectTo(api, { ports: [ContainerPort.tcp('ssh', 22)] });
      new IngressPolicy(chart, 'p', { target: api });
      expect(messagesOf(validateApp(chart.node.root as App))).toEqual(['[c/web/ConnectsTo-api] CVA202 port ssh (22) is not a port of api. Fix: use one of: api (9090)']);
    });

    test('GIVEN a connection to a workload that declares no ports THEN synth reports it once, instead of a policy open on every port', () => {
      const { chart, web } = setup();
      const worker = new Microservice(chart, 'worker', { image: 'worker:1.0' });
      web.connectTo(worker, { ports: [ContainerPort.tcp('http', 80)] });
      expect(messagesOf(validateApp(chart.node.root as App))).toEqual([
        '[c/web/ConnectsTo-worker] CVA109 connects to worker, which declares no ports. Fix: declare the ports worker listens on (ports of the Microservice, or of Workload.fromAttributes)',
      ]);
    });
  });

  test('GIVEN ports AND clients from connections THEN each connection is admitted on the listed ports only, and synth reports the rest', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    const a = ContainerPort.tcp('a', 1000);
    const b = ContainerPort.tcp('b', 2000);
    const srv = new Microservice(chart, 'srv', { image: 'srv:1.0', ports: [a, b] });
    new Microservice(chart, 'cli', { image: 'cli:1.0' }).connectTo(srv);
    new Microservice(chart, 'other', { image: 'other:1.0' }).connectTo(srv, { ports: [b] });
    new IngressPolicy(chart, 'p', { target: srv, ports: [a] });
    // THEN one rule, for cli on a; other, whose only port is not listed, gets none (a rule without ports would admit every port)
    expect(find(render(chart), 'NetworkPolicy', 'srv-ingress').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': 'cli' }) } }], ports: [{ port: 1000, protocol: 'TCP' }] },
    ]);
    expect(messagesOf(validateApp(chart.node.root as App))).toEqual([
      expect.stringMatching(/^\[c\/cli\/ConnectsTo-srv\] CVA205 .*port b \(2000\/TCP\)/),
      expect.stringMatching(/^\[c\/other\/ConnectsTo-srv\] CVA205 .*port b \(2000\/TCP\)/),
    ]);
  });

  test('GIVEN an explicit from that leaves out a declared client THEN synth reports the blocked connection', () => {
    const { chart, api, web, batch } = setup();
    batch.connectTo(api);
    new IngressPolicy(chart, 'p', { target: api, clients: [web] });
    expect(messagesOf(validateApp(chart.node.root as App))).toEqual([expect.stringMatching(/^\[c\/batch\/ConnectsTo-api\] .*batch.*api.*9090.*api-ingress.*Fix: /)]);
  });

  describe('namespaces, resolved as cdk8s resolves them', () => {
    test('GIVEN two workloads in one Chart namespace THEN they are in the same namespace', () => {
      // GIVEN no namespace on either workload, only on their Chart
      const chart = new Chart(new App(), 'c', { namespace: 'shop' });
      const port = ContainerPort.tcp('api', 9090);
      const api = new Microservice(chart, 'api', { image: 'example/api:1.0', ports: [port] });
      const web = new Microservice(chart, 'web', { image: 'example/web:1.0' });
      new IngressPolicy(chart, 'p', { target: api, clients: [web] });
      // THEN the policy lives beside the target and selects the client by pod labels only
      const policy = find(synth(chart), 'NetworkPolicy', 'api-ingress');
      expect(policy.metadata.namespace).toBe('shop');
      expect(policy.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: web.podSelector } }]);
      expect(messagesOf(validateApp(chart.node.root as App))).toEqual([]);
    });

    test('GIVEN a front end in one Chart namespace and its backend in another THEN the policy admits the front end\'s namespace', () => {
      const app = new App();
      const front = new Chart(app, 'front', { namespace: 'web' });
      const back = new Chart(app, 'back', { namespace: 'data' });
      const port = ContainerPort.tcp('api', 9090);
      const api = new Microservice(back, 'api', { image: 'example/api:1.0', ports: [port] });
      const web = new Microservice(front, 'web', { image: 'example/web:1.0' });
      web.connectTo(api);
      new IngressPolicy(back, 'p', { target: api });
      const policy = find(synth(back), 'NetworkPolicy', 'api-ingress');
      expect(policy.metadata.namespace).toBe('data');
      expect(policy.spec.ingress[0].from).toEqual([{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } },
        podSelector: { matchLabels: web.podSelector },
      }]);
      expect(messagesOf(validateApp(app))).toEqual([]);
    });

    test('GIVEN a client whose namespace is not set and a target whose is THEN synth asks for the namespace', () => {
      const { chart, api, web } = setup('other');
      // the client is in "other", the target in no set namespace (its Chart has none)
      new IngressPolicy(chart, 'p', { target: api, clients: [web] });
      expect(messagesOf(validateApp(chart.node.root as App))).toContain(
        '[c/p] CVA206 web is in namespace "other" but api in no set namespace, so the policy cannot tell where the client\'s pods run. Fix: set the namespace of api (on the workload or its Chart)');
    });
  });

  test('GIVEN a workload made elsewhere THEN it can be a client and a target', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    const port = ContainerPort.tcp('http', 8080);
    const legacy = Workload.fromAttributes(chart, 'legacy', { name: 'legacy', podSelector: { app: 'legacy' }, ports: [port], external: true });
    const web = new Microservice(chart, 'web', { image: 'example/web:1.0' });
    web.connectTo(legacy);
    new IngressPolicy(chart, 'p', { target: legacy });
    const policy = find(synth(chart), 'NetworkPolicy', 'legacy-ingress');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'legacy' } });
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: web.podSelector } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(legacy.namespace).toBe('shop');
  });

  test('GIVEN a target without a namespace WHEN its policy is made in a Chart with one THEN synth reports it: the policy would leave the target open', () => {
    const app = new App();
    const target = new Microservice(new Chart(app, 'apps'), 'web', { image: 'nginx:1.27', ports: [ContainerPort.tcp('http', 8080)] });
    new IngressPolicy(new Chart(app, 'ops', { namespace: 'ops' }), 'policy', { target, fromAnywhere: true });
    expect(messagesOf(validateApp(app))).toEqual([
      '[ops/policy] CVA206 its NetworkPolicy would be written to namespace "ops" (its Chart\'s), but web has no set namespace, so it would not act on the pods of web: it only sees its own namespace. Fix: set the namespace of web (on the workload or its Chart), or make this in a Chart without a namespace',
    ]);
  });
});

describe('connectTo alone protects the server', () => {
  const make = (props: { policyFromConnections?: boolean } = {}) => {
    const app = new App();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    const http = ContainerPort.tcp('http', 8080);
    const api = new Microservice(chart, 'api', { image: 'api:1.0', ports: [http], ...props });
    const web = new Microservice(chart, 'web', { image: 'web:1.0' });
    return { app, chart, api, web };
  };
  const policies = (chart: Chart) => render(chart).filter(o => o.kind === 'NetworkPolicy');

  test('GIVEN only a connection THEN the server gets an ingress policy that admits exactly its client, and synth is satisfied', () => {
    const { app, chart, api, web } = make();
    web.connectTo(api);
    expect(policies(chart).map(p => [p.metadata.name, p.spec.ingress])).toEqual([['api-ingress', [{
      from: [{ podSelector: { matchLabels: web.podSelector } }], ports: [{ port: 8080, protocol: 'TCP' }],
    }]]]);
    expect(messagesOf(validateApp(app))).toEqual([]);
  });

  test('GIVEN an explicit IngressPolicy for the server, made after the connection THEN it takes the derived one\'s place', () => {
    const { chart, api, web } = make();
    web.connectTo(api);
    new IngressPolicy(chart, 'public', { target: api, fromAnywhere: true });
    expect(policies(chart).map(p => [p.metadata.name, p.spec.ingress])).toEqual([['api-ingress', [{ ports: [{ port: 8080, protocol: 'TCP' }] }]]]);
  });

  test('GIVEN policyFromConnections: false THEN no policy is written, and every pod may connect', () => {
    const { chart, api, web } = make({ policyFromConnections: false });
    web.connectTo(api);
    expect(policies(chart)).toEqual([]);
  });
});
