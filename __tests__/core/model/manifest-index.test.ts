import { ManifestIndex } from '../../../lib/core/model';

const deployment = (name: string, namespace: string, labels: Record<string, string>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c' }] } } },
});

describe('ManifestIndex', () => {
  test('GIVEN workloads in two namespaces WHEN a Service selects by label THEN only those of its own namespace are selected', () => {
    const index = new ManifestIndex<string>();
    index.add('a', deployment('api', 'shop', { app: 'api' }));
    index.add('b', deployment('api', 'other', { app: 'api' }));
    index.add('s', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' } } });
    expect(index.selectedBy(index.services[0]).map(w => w.owner)).toEqual(['a']);
    expect(index.hasService('shop', 'api')).toBe(true);
    expect(index.hasService('other', 'api')).toBe(false);
  });

  test('GIVEN one identity added twice THEN the second add names the first', () => {
    const index = new ManifestIndex<string>();
    expect(index.add('a', deployment('api', 'shop', {})).earlier).toBeUndefined();
    expect(index.add('b', deployment('api', 'shop', {})).earlier).toBe('a');
  });

  test('GIVEN Secrets and ConfigMaps THEN their keys are known by kind, namespace and name', () => {
    const index = new ManifestIndex<string>();
    index.add('s', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: 'eA==' }, stringData: { user: 'u' } });
    index.add('c', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db', namespace: 'shop' }, binaryData: { blob: 'eA==' } });
    expect([...(index.keysOf('Secret', 'shop', 'db') ?? [])]).toEqual(['password', 'user']);
    expect([...(index.keysOf('ConfigMap', 'shop', 'db') ?? [])]).toEqual(['blob']);
    expect(index.keysOf('Secret', 'other', 'db')).toBeUndefined();
  });
});
