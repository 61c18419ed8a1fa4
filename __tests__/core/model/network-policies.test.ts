import { JsonObject, NamespaceLabels, NetworkPolicies, PodRef, policyTypesOf } from '../../../lib/core/model';

const policy = (name: string, spec: JsonObject, namespace = 'shop'): JsonObject =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });

const api: PodRef = { namespace: 'shop', labels: { app: 'api' }, ports: [{ container: 'api', number: 8080, name: 'http', protocol: 'TCP' }, { container: 'api', number: 53, name: 'dns', protocol: 'UDP' }] };
const web: PodRef = { namespace: 'shop', labels: { app: 'web' } };
const batch: PodRef = { namespace: 'jobs', labels: { app: 'batch' } };
const toApi = { podSelector: { matchLabels: { app: 'api' } } };

/** Whether `source` reaches `port` of api under the given policies (and Namespace objects). */
function admitted(policies: JsonObject[], source: PodRef, port: { number?: number; name?: string; protocol?: string } = { number: 8080 }, namespaces: JsonObject[] = []): boolean {
  const labels = new NamespaceLabels();
  namespaces.forEach(n => labels.add(n));
  const set = new NetworkPolicies(labels);
  policies.forEach(p => set.add(p));
  return set.ingressVerdict(source, api, port).admitted;
}

describe('NetworkPolicy evaluation', () => {
  describe('policyTypes, defaulted as the API server does', () => {
    test('GIVEN no policyTypes THEN Ingress; with egress rules, Ingress and Egress; an empty egress list adds nothing', () => {
      expect(policyTypesOf({})).toEqual(['Ingress']);
      expect(policyTypesOf({ egress: [{ to: [] }] })).toEqual(['Ingress', 'Egress']);
      expect(policyTypesOf({ egress: [] })).toEqual(['Ingress']);
      expect(policyTypesOf({ policyTypes: [] })).toEqual(['Ingress']);
      expect(policyTypesOf({ policyTypes: ['Egress'], ingress: [{}] })).toEqual(['Egress']);
    });

    test('GIVEN a policy of type Egress only THEN it leaves the target\'s ingress open', () => {
      expect(admitted([policy('egress', { ...toApi, policyTypes: ['Egress'] })], web)).toBe(true);
    });

    test('GIVEN a policy without policyTypes or rules THEN it isolates the target: nothing gets in', () => {
      expect(admitted([policy('deny', toApi)], web)).toBe(false);
    });
  });

  test('GIVEN no policy selecting the target THEN every source is admitted', () => {
    expect(admitted([], web)).toBe(true);
    expect(admitted([policy('other', { podSelector: { matchLabels: { app: 'db' } } })], web)).toBe(true);
    // A policy applies only to pods of its own namespace.
    expect(admitted([policy('elsewhere', toApi, 'jobs')], web)).toBe(true);
  });

  test('GIVEN an empty podSelector THEN the policy selects every pod of its namespace', () => {
    expect(admitted([policy('deny-all', { podSelector: {} })], web)).toBe(false);
  });

  test('GIVEN a podSelector with matchExpressions THEN it selects as a LabelSelector does', () => {
    expect(admitted([policy('deny', { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'db'] }] } })], web)).toBe(false);
    expect(admitted([policy('deny', { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] } })], web)).toBe(true);
  });

  test('GIVEN a rule without from, or with an empty from THEN any source is admitted', () => {
    expect(admitted([policy('any', { ...toApi, ingress: [{}] })], batch)).toBe(true);
    expect(admitted([policy('any', { ...toApi, ingress: [{ from: [] }] })], batch)).toBe(true);
  });

  test('GIVEN a podSelector peer THEN it admits those pods of the policy\'s namespace only', () => {
    const rule = { from: [{ podSelector: { matchLabels: { app: 'web' } } }] };
    expect(admitted([policy('p', { ...toApi, ingress: [rule] })], web)).toBe(true);
    expect(admitted([policy('p', { ...toApi, ingress: [rule] })], { namespace: 'jobs', labels: { app: 'web' } })).toBe(false);
    expect(admitted([policy('p', { ...toApi, ingress: [rule] })], { namespace: 'shop', labels: { app: 'other' } })).toBe(false);
  });

  test('GIVEN a namespaceSelector on the automatic kubernetes.io/metadata.name label THEN it admits every pod of that namespace, with or without a Namespace object', () => {
    const rule = { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jobs' } } }] };
    expect(admitted([policy('p', { ...toApi, ingress: [rule] })], batch)).toBe(true);
    expect(admitted([policy('p', { ...toApi, ingress: [rule] })], web)).toBe(false);
  });

  test('GIVEN a namespaceSelector on labels of a Namespace object THEN the Namespace object\'s labels decide', () => {
    const rule = { from: [{ namespaceSelector: { matchLabels: { team: 'data' } } }] };
    const jobs = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jobs', labels: { team: 'data' } } };
    expect(admitted([policy('p', { ...toApi, ingress: [rule] })], batch, { number: 8080 }, [jobs])).toBe(true);
    expect(admitted([policy('p', { ...toApi, ingress: [rule] })], batch)).toBe(false);
  });

  test('GIVEN a namespaceSelector and a podSelector in one peer THEN both must match', () => {
    const rule = { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jobs' } }, podSelector: { matchLabels: { app: 'batch' } } }] };
    expect(admitted([policy('p', { ...toApi, ingress: [rule] })], batch)).toBe(true);
    expect(admitted([policy('p', { ...toApi, ingress: [rule] })], { namespace: 'jobs', labels: { app: 'cron' } })).toBe(false);
  });

  test('GIVEN an ipBlock peer THEN it never admits a pod (pod addresses are not in the manifests), but the verdict says it may, by address, on the ports of its rule', () => {
    expect(admitted([policy('p', { ...toApi, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })], web)).toBe(false);
    const set = new NetworkPolicies();
    set.add(policy('p', { ...toApi, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 8080 }] }] }));
    expect(set.ingressVerdict(web, api, { number: 8080 })).toMatchObject({ admitted: false, inDoubt: true });
    expect(set.ingressVerdict(web, api, { number: 9000 })).toMatchObject({ admitted: false, inDoubt: false });
  });

  test('GIVEN a namespaceSelector on labels of a namespace the manifests do not define THEN the verdict is in doubt; of one they define, or on its name label, it is not', () => {
    const fromJobs = (namespaceSelector: JsonObject, namespaces: JsonObject[] = []) => {
      const labels = new NamespaceLabels();
      namespaces.forEach(n => labels.add(n));
      const set = new NetworkPolicies(labels);
      set.add(policy('p', { ...toApi, ingress: [{ from: [{ namespaceSelector, podSelector: { matchLabels: { app: 'batch' } } }] }] }));
      return set.ingressVerdict(batch, api, { number: 8080 });
    };
    expect(fromJobs({ matchLabels: { team: 'data' } })).toMatchObject({ admitted: false, inDoubt: true });
    expect(fromJobs({ matchLabels: { team: 'data' } }, [{ kind: 'Namespace', metadata: { name: 'jobs', labels: { team: 'web' } } }])).toMatchObject({ admitted: false, inDoubt: false });
    expect(fromJobs({ matchLabels: { 'kubernetes.io/metadata.name': 'other' } })).toMatchObject({ admitted: false, inDoubt: false });
    expect(fromJobs({ matchLabels: { 'kubernetes.io/metadata.name': 'other', team: 'data' } })).toMatchObject({ admitted: false, inDoubt: false });
  });

  test('GIVEN egress policies of the source THEN egressVerdict evaluates their rules against the target, as ingressVerdict does the target\'s', () => {
    const set = new NetworkPolicies();
    set.add(policy('web-egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [toApi], ports: [{ port: 'http' }] }] }));
    expect(set.egressVerdict(web, api, { number: 8080 })).toMatchObject({ admitted: true, inDoubt: false });
    expect(set.egressVerdict(web, api, { number: 53, protocol: 'UDP' }).admitted).toBe(false);
    expect(set.egressVerdict(web, { namespace: 'shop', labels: { app: 'db' } }, { number: 8080 }).admitted).toBe(false);
    expect(set.egressVerdict(batch, api, { number: 9000 }).admitted).toBe(true);
    expect(set.ingressVerdict(web, api, { number: 9000 }).admitted).toBe(true);
  });

  describe('ports', () => {
    const withPorts = (ports: JsonObject[]) => [policy('p', { ...toApi, ingress: [{ ports }] })];

    test('GIVEN a rule without ports THEN every port is admitted', () => {
      expect(admitted([policy('p', { ...toApi, ingress: [{ from: [] }] })], web, { number: 1234 })).toBe(true);
    });

    test('GIVEN a port by number, protocol unset THEN it admits that TCP port only', () => {
      expect(admitted(withPorts([{ port: 8080 }]), web, { number: 8080 })).toBe(true);
      expect(admitted(withPorts([{ port: 8080 }]), web, { number: 9090 })).toBe(false);
      expect(admitted(withPorts([{ port: 8080 }]), web, { number: 8080, protocol: 'UDP' })).toBe(false);
    });

    test('GIVEN a port by name THEN it stands for the target pod\'s container port of that name and protocol', () => {
      expect(admitted(withPorts([{ port: 'http' }]), web, { number: 8080 })).toBe(true);
      expect(admitted(withPorts([{ port: 'http' }]), web, { name: 'http' })).toBe(true);
      expect(admitted(withPorts([{ port: 'http' }]), web, { number: 9090 })).toBe(false);
      expect(admitted(withPorts([{ port: 'dns', protocol: 'UDP' }]), web, { number: 53, protocol: 'UDP' })).toBe(true);
      expect(admitted(withPorts([{ port: 'dns' }]), web, { number: 53, protocol: 'UDP' })).toBe(false);
      expect(admitted(withPorts([{ port: 'grpc' }]), web, { name: 'grpc' })).toBe(false);
    });

    test('GIVEN a port with endPort THEN the whole range is admitted', () => {
      expect(admitted(withPorts([{ port: 8000, endPort: 8100 }]), web, { number: 8080 })).toBe(true);
      expect(admitted(withPorts([{ port: 8000, endPort: 8100 }]), web, { number: 8101 })).toBe(false);
    });

    test('GIVEN a protocol without a port THEN every port of that protocol is admitted', () => {
      expect(admitted(withPorts([{ protocol: 'TCP' }]), web, { number: 1234 })).toBe(true);
      expect(admitted(withPorts([{ protocol: 'UDP' }]), web, { number: 1234 })).toBe(false);
    });
  });

  test('GIVEN two policies selecting the target THEN a connection either admits is admitted, and the verdict names both', () => {
    const labels = new NamespaceLabels();
    const set = new NetworkPolicies(labels);
    set.add(policy('a', { ...toApi, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }));
    set.add(policy('b', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'ops' } } }] }] }));
    expect(set.ingressVerdict(web, api, { number: 8080 }).admitted).toBe(true);
    expect(set.ingressVerdict({ namespace: 'shop', labels: { app: 'ops' } }, api, { number: 8080 }).admitted).toBe(true);
    const blocked = set.ingressVerdict(batch, api, { number: 8080 });
    expect(blocked.admitted).toBe(false);
    expect(blocked.policies.map(p => p.name)).toEqual(['a', 'b']);
  });

  describe('connectionVerdict: both ends, one answer', () => {
    const webEgress = (ports?: JsonObject[]) => policy('web-egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [toApi], ...(ports ? { ports } : {}) }] });
    const apiIngress = (from: JsonObject[], ports: JsonObject[]) => policy('api-in', { ...toApi, ingress: [{ from, ports }] });
    const fromWeb = [{ podSelector: { matchLabels: { app: 'web' } } }];
    const set = (...policies: JsonObject[]) => {
      const s = new NetworkPolicies();
      policies.forEach(p => s.add(p));
      return s;
    };

    test('GIVEN no policy THEN admitted, by no rule naming the source', () => {
      expect(set().connectionVerdict(web, api, { number: 8080 })).toMatchObject({ verdict: 'admitted', doubts: [], ingress: { peerNamed: false }, egress: { peerNamed: false } });
    });

    test('GIVEN an ingress range 8000-8100 and an egress rule on 8080 THEN 8080 is admitted, the rest of the range refused by egress', () => {
      const s = set(apiIngress(fromWeb, [{ port: 8000, endPort: 8100 }]), webEgress([{ port: 8080 }]));
      expect(s.connectionVerdict(web, api, { number: 8080 })).toMatchObject({ verdict: 'admitted', ingress: { verdict: 'admitted', peerNamed: true }, egress: { verdict: 'admitted' } });
      expect(s.connectionVerdict(web, api, { number: 8081 })).toMatchObject({ verdict: 'refused', ingress: { verdict: 'admitted' }, egress: { verdict: 'refused' } });
      expect(s.connectionVerdict(web, api, { number: 8101 })).toMatchObject({ verdict: 'refused', ingress: { verdict: 'refused' } });
      expect(s.connectionVerdict(web, api, { name: 'http' }).verdict).toBe('admitted');
    });

    test('GIVEN one side in doubt and the other admitting THEN in doubt, with the reason; one side refusing THEN refused', () => {
      const doubtful = apiIngress([{ ipBlock: { cidr: '10.0.0.0/8' } }], [{ port: 8080 }]);
      expect(set(doubtful).connectionVerdict(web, api, { number: 8080 })).toMatchObject({ verdict: 'in-doubt', doubts: ['ip-block'], ingress: { inDoubt: true, admitted: false } });
      expect(set(doubtful, webEgress([{ port: 9000 }])).connectionVerdict(web, api, { number: 8080 })).toMatchObject({ verdict: 'refused', doubts: [] });
      expect(set(apiIngress([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] } }], [{ port: 8080 }]))
        .connectionVerdict(web, api, { number: 8080 }).verdict).toBe('refused');
    });

    test('GIVEN a rule open to every source THEN admitted, but not by a rule naming the source', () => {
      expect(set(policy('p', { ...toApi, ingress: [{ ports: [{ port: 8080 }] }] })).connectionVerdict(web, api, { number: 8080 }))
        .toMatchObject({ verdict: 'admitted', ingress: { peerNamed: false } });
    });
  });
});
