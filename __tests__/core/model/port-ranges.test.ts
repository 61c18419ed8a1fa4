import { connectionPorts, JsonObject, NetworkPolicies, PodRef, rulePortRanges } from '../../../lib/core/model';

const policy = (name: string, spec: JsonObject): JsonObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'shop' }, spec });
const api: PodRef = { namespace: 'shop', labels: { app: 'api' }, ports: [{ container: 'api', number: 8080, name: 'http', protocol: 'TCP' }] };
const web: PodRef = { namespace: 'shop', labels: { app: 'web' } };

/** The ranges of a verdict other than refused, as `first-last/PROTOCOL verdict`. */
function drawn(...policies: JsonObject[]): string[] {
  const set = new NetworkPolicies();
  policies.forEach(p => set.add(p));
  return connectionPorts(set, web, api).filter(r => r.verdict.verdict !== 'refused').map(r => `${r.first}-${r.last}/${r.protocol} ${r.verdict.verdict}`);
}

describe('port ranges of a connection, by the verdict', () => {
  test('GIVEN rule ports THEN their ranges: port to endPort, one port, every port, a named port by the target\'s number', () => {
    expect(rulePortRanges({ protocol: 'TCP', port: 8000, endPort: 8100 }, api)).toEqual([{ protocol: 'TCP', first: 8000, last: 8100 }]);
    expect(rulePortRanges({ protocol: 'UDP', port: 53 }, api)).toEqual([{ protocol: 'UDP', first: 53, last: 53 }]);
    expect(rulePortRanges({ protocol: 'TCP' }, api)).toEqual([{ protocol: 'TCP', first: 1, last: 65535 }]);
    expect(rulePortRanges({ protocol: 'TCP', port: 'http' }, api)).toEqual([{ protocol: 'TCP', first: 8080, last: 8080 }]);
    expect(rulePortRanges({ protocol: 'UDP', port: 'http' }, api)).toEqual([]);
  });

  test('GIVEN no policy THEN every port of every protocol, in one range each', () => {
    expect(drawn()).toEqual(['1-65535/TCP admitted', '1-65535/UDP admitted', '1-65535/SCTP admitted']);
  });

  test('GIVEN an ingress range 8000-8100 and an egress rule on 8080 THEN only 8080; with egress on 8050-9000, 8050-8100', () => {
    const ingress = policy('in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 8000, endPort: 8100 }] }] });
    const egress = (ports: JsonObject[]) => policy('out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ ports }] });
    expect(drawn(ingress, egress([{ port: 8080 }]))).toEqual(['8080-8080/TCP admitted']);
    expect(drawn(ingress, egress([{ port: 8050, endPort: 9000 }]))).toEqual(['8050-8100/TCP admitted']);
    expect(drawn(ingress, egress([{ port: 8050, endPort: 9000, protocol: 'UDP' }]))).toEqual([]);
  });

  test('GIVEN an ipBlock rule that may cover pod addresses THEN its ports are in doubt, the others refused', () => {
    expect(drawn(policy('in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 8000, endPort: 8100 }] }] })))
      .toEqual(['8000-8100/TCP in-doubt']);
  });
});
