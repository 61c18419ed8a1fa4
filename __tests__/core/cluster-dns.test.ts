import { App, Chart } from 'cdk8s';
import { ClusterDns, ContainerPort } from '../../lib';

describe('ClusterDns', () => {
  test('GIVEN nothing configured THEN CoreDNS as most clusters run it: k8s-app=kube-dns in kube-system, on 53/UDP and 53/TCP', () => {
    const dns = ClusterDns.forScope(new App());
    expect(dns).toBe(ClusterDns.DEFAULT);
    expect(dns.toString()).toBe('k8s-app=kube-dns in namespace kube-system');
    expect(dns.ports.map(p => `${p.name} ${p.number}/${p.protocol}`)).toEqual(['dns 53/UDP', 'dns-tcp 53/TCP']);
  });

  test('GIVEN a cluster that runs DNS otherwise WHEN configured on the App THEN every scope in it sees that DNS, with the defaults for what is left out', () => {
    const app = new App();
    ClusterDns.configure(app, ClusterDns.of({ podLabels: { 'k8s-app': 'coredns' } }));
    const dns = ClusterDns.forScope(new Chart(app, 'c'));
    expect(dns.toString()).toBe('k8s-app=coredns in namespace kube-system');
    expect(dns.ports.map(p => `${p.name} ${p.number}/${p.protocol}`)).toEqual(['dns 53/UDP', 'dns-tcp 53/TCP']);
  });

  test('rejects where it is made: a bad namespace, no pod labels, no UDP port', () => {
    expect(() => ClusterDns.of({ namespace: 'Kube_System' })).toThrow('[ClusterDns] CVA101 namespace "Kube_System" is not a valid DNS-1123 label');
    expect(() => ClusterDns.of({ podLabels: {} })).toThrow('[ClusterDns] CVA109 podLabels is empty, which would stand for every pod of the namespace. Fix: give the labels of the DNS pods, e.g. { "k8s-app": "kube-dns" }');
    expect(() => ClusterDns.of({ ports: [ContainerPort.tcp('dns-tcp', 53)] })).toThrow('[ClusterDns] CVA109 no UDP port is given, and resolvers ask over UDP first. Fix: add the UDP port the DNS pods listen on, e.g. ContainerPort.udp("dns", 53)');
  });
});
