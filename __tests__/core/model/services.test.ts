import { DeclaredPort, resolveTargetPort, ServicePort, servicePortsOf, serviceSelectorOf } from '../../../lib/core/model';

const declared: DeclaredPort[] = [
  { container: 'app', number: 8080, name: 'http', protocol: 'TCP' },
  { container: 'app', number: 53, name: 'dns', protocol: 'UDP' },
];
const port = (targetPort: number | string, protocol = 'TCP'): ServicePort => ({ port: 80, targetPort, protocol });

describe('Services', () => {
  test('GIVEN a port without targetPort or protocol THEN it targets the port itself over TCP', () => {
    expect(servicePortsOf({ kind: 'Service', spec: { ports: [{ port: 80 }, { port: 53, targetPort: 'dns', protocol: 'UDP', nodePort: 30053 }] } })).toEqual([
      { name: undefined, port: 80, targetPort: 80, nodePort: undefined, protocol: 'TCP' },
      { name: undefined, port: 53, targetPort: 'dns', nodePort: 30053, protocol: 'UDP' },
    ]);
  });

  test('GIVEN no selector, an empty one or an ExternalName Service THEN it selects no pods', () => {
    expect(serviceSelectorOf({ kind: 'Service', spec: {} })).toBeUndefined();
    expect(serviceSelectorOf({ kind: 'Service', spec: { selector: {} } })).toBeUndefined();
    expect(serviceSelectorOf({ kind: 'Service', spec: { type: 'ExternalName', externalName: 'db.example.com', selector: { app: 'db' } } })).toBeUndefined();
    expect(serviceSelectorOf({ kind: 'Service', spec: { selector: { app: 'db' } } })).toEqual({ app: 'db' });
  });

  describe('targetPort resolution against the ports a selected pod declares', () => {
    test('GIVEN a name the pod declares with the protocol THEN it lands on that port', () => {
      expect(resolveTargetPort(port('http'), declared)).toEqual({ ok: true, number: 8080, name: 'http', declared: true });
      expect(resolveTargetPort(port('dns', 'UDP'), declared)).toEqual({ ok: true, number: 53, name: 'dns', declared: true });
    });

    test('GIVEN a name the pod lacks, or has for another protocol THEN the pod gets no endpoint', () => {
      expect(resolveTargetPort(port('web'), declared)).toEqual({ ok: false, problem: 'no-such-name' });
      expect(resolveTargetPort(port('dns', 'TCP'), declared)).toEqual({ ok: false, problem: 'no-such-name' });
      expect(resolveTargetPort(port('http'), [])).toEqual({ ok: false, problem: 'no-such-name' });
    });

    test('GIVEN a number the pod declares with the protocol THEN it lands there', () => {
      expect(resolveTargetPort(port(8080), declared)).toEqual({ ok: true, number: 8080, name: 'http', declared: true });
    });

    test('GIVEN a number the pod does not declare among the ports it declares THEN it is reported (error in synth and in the diagram)', () => {
      expect(resolveTargetPort(port(9090), declared)).toEqual({ ok: false, problem: 'not-declared' });
      expect(resolveTargetPort(port(53, 'TCP'), declared)).toEqual({ ok: false, problem: 'not-declared' });
    });

    test('GIVEN a number and a pod that declares no port at all THEN it is used as it is (containerPort is informational)', () => {
      expect(resolveTargetPort(port(9090), [])).toEqual({ ok: true, number: 9090, declared: false });
    });
  });
});
