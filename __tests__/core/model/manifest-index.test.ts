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

  test('GIVEN claims, and a StatefulSet with a claim template THEN the claims it makes, <template>-<statefulset>-<ordinal>, are known too', () => {
    const index = new ManifestIndex<string>();
    index.add('p', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'shop' } });
    index.add('db', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: {
      template: { spec: { containers: [{ name: 'db' }] } }, volumeClaimTemplates: [{ metadata: { name: 'pgdata' } }],
    } });
    expect(index.keysOf('PersistentVolumeClaim', 'shop', 'data')).toEqual(new Set());
    expect(index.keysOf('PersistentVolumeClaim', 'shop', 'pgdata-db-2')).toEqual(new Set());
    expect(index.keysOf('PersistentVolumeClaim', 'shop', 'pgdata-db-x')).toBeUndefined();
    expect(index.keysOf('PersistentVolumeClaim', 'other', 'pgdata-db-0')).toBeUndefined();
  });

  test('GIVEN objects in namespaces THEN each namespace written to is listed once with its first object and count; cluster-scoped ones are in none', () => {
    const index = new ManifestIndex<string>();
    index.add('ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    index.add('a', deployment('api', 'shop', {}));
    index.add('b', deployment('web', 'shop', {}));
    index.add('c', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(index.writtenNamespaces()).toEqual([{ namespace: 'shop', first: 'a', count: 2 }, { namespace: 'default', first: 'c', count: 1 }]);
    expect(index.namespaces.definedNames()).toEqual(['shop']);
  });

  test('GIVEN a workload THEN the Pod Security checks its pods break are kept by level', () => {
    const index = new ManifestIndex<string>();
    index.add('a', { ...deployment('api', 'shop', {}), spec: { template: { spec: { hostPID: true, containers: [{ name: 'c' }] } } } });
    const { baseline, restricted } = index.workloads[0].podSecurity();
    expect(baseline.map(v => v.check)).toEqual(['hostNamespaces']);
    expect(restricted.map(v => v.check)).toEqual(['hostNamespaces', 'allowPrivilegeEscalation', 'runAsNonRoot', 'seccompProfile_restricted', 'capabilities_restricted']);
  });
});
