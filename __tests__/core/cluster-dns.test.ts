import { App, Chart } from 'cdk8s';
import { ClusterDns, ClusterDnsProps, ContainerPort } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';
import { messagesOf } from '../support/problems';

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

  test.each([
    ['a bad namespace', { namespace: 'Kube_System' },
      '[<root>] CVA101 namespace of ClusterDns "Kube_System" is not a valid DNS-1123 label (at most 63 characters of lower-case letters, digits and "-", starting and ending with a letter or digit). Fix: choose a name such as "kube-system"'],
    ['no pod labels', { podLabels: {} },
      '[<root>] CVA109 the podLabels of ClusterDns are empty, which would stand for every pod of the namespace. Fix: give the labels of the DNS pods, e.g. { "k8s-app": "kube-dns" }'],
    ['no UDP port', { ports: [ContainerPort.tcp('dns-tcp', 53)] },
      '[<root>] CVA109 ClusterDns has no UDP port, and resolvers ask over UDP first. Fix: add the UDP port the DNS pods listen on, e.g. ContainerPort.udp("dns", 53)'],
  ] as Array<[string, ClusterDnsProps, string]>)('GIVEN %s WHEN configured on the App THEN the App reports it, nothing thrown where it is made', (_title, props, message) => {
    const app = new App();
    ClusterDns.configure(app, ClusterDns.of(props));
    expect(messagesOf(validateApp(app))).toEqual([message]);
  });
});
