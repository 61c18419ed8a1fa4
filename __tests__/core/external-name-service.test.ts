import { App, Chart } from 'cdk8s';
import { ExternalNameService } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';
import { synth } from '../support/manifests';
import { messagesOf } from '../support/problems';

describe('ExternalNameService', () => {
  test('GIVEN an outside host THEN the Service is a CNAME to it and selects no pods', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    new ExternalNameService(chart, 'db-svc', { externalName: 'mydb.amazonaws.com', ports: [5432] });
    const [svc] = synth(chart);
    expect(svc.metadata.name).toBe('db-svc');
    expect(svc.spec).toEqual({ type: 'ExternalName', externalName: 'mydb.amazonaws.com', ports: [{ name: 'tcp-5432', port: 5432, protocol: 'TCP' }] });
    expect(svc.spec.selector).toBeUndefined();
  });

  test.each([
    ['https://mydb.amazonaws.com', '[c/x] CVA103 externalName "https://mydb.amazonaws.com" is not a DNS host name (a URL is not allowed here). Fix: give the host name only, e.g. "mydb.example.com"'],
    ['MyDB.example.com', '[c/x] CVA103 externalName "MyDB.example.com" is not a DNS host name (a URL is not allowed here). Fix: give the host name only, e.g. "mydb.example.com"'],
    ['10.0.0.5', '[c/x] CVA113 externalName "10.0.0.5" is an IP address, which cluster DNS answers with a CNAME that resolves nowhere. Fix: give a host name, or for an address use a Service without a selector and an EndpointSlice'],
    ['', '[c/x] CVA103 externalName "" is not a DNS host name (a URL is not allowed here). Fix: give the host name only, e.g. "mydb.example.com"'],
  ])('rejects externalName %j, at synth with every other problem', (host, message) => {
    const app = new App();
    new ExternalNameService(new Chart(app, 'c'), 'x', { externalName: host });
    expect(messagesOf(validateApp(app))).toEqual([message]);
  });
});
