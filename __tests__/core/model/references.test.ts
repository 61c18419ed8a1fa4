import { claimTemplatesOf, Reference, referenceProblem, referencesOf } from '../../../lib/core/model';

const summary = (refs: Reference[]) => refs.map(r => `${r.kind} ${r.name} [${r.keys.join(',')}]${r.optional ? ' optional' : ''} via ${r.source.type}`);

describe('references to Secrets and ConfigMaps', () => {
  test('GIVEN env valueFrom and envFrom, in init and app containers THEN each is a reference, with the key it reads', () => {
    const refs = referencesOf({
      initContainers: [{ name: 'init', env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } }] }],
      containers: [{
        name: 'app',
        env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode', optional: true } } }, { name: 'PLAIN', value: 'x' }],
        envFrom: [{ secretRef: { name: 'all' }, prefix: 'DB_' }, { configMapRef: { name: 'cfg' } }],
      }],
    });
    expect(summary(refs)).toEqual([
      'Secret api [token] via env',
      'ConfigMap settings [mode] optional via env',
      'Secret all [] via envFrom',
      'ConfigMap cfg [] via envFrom',
    ]);
    expect(refs[0].source).toEqual({ type: 'env', container: 'init', env: 'TOKEN' });
    expect(refs[2].source).toEqual({ type: 'envFrom', container: 'app', prefix: 'DB_' });
  });

  test('GIVEN mounted secret, configMap and projected volumes with items THEN each is a reference to the keys it lists', () => {
    const refs = referencesOf({
      containers: [{ name: 'app', volumeMounts: [{ name: 'tls', mountPath: '/tls' }, { name: 'cfg', mountPath: '/cfg' }, { name: 'all', mountPath: '/all' }] }],
      volumes: [
        { name: 'tls', secret: { secretName: 'cert', items: [{ key: 'tls.crt', path: 'c' }, { key: 'tls.key', path: 'k' }] } },
        { name: 'cfg', configMap: { name: 'settings', optional: true } },
        { name: 'all', projected: { sources: [{ secret: { name: 'api', items: [{ key: 'token', path: 't' }] } }, { configMap: { name: 'ca' } }, { serviceAccountToken: { path: 'sa' } }] } },
      ],
    });
    expect(summary(refs)).toEqual([
      'Secret cert [tls.crt,tls.key] via volume',
      'ConfigMap settings [] optional via volume',
      'Secret api [token] via volume',
      'ConfigMap ca [] via volume',
    ]);
    expect(refs[0].source).toEqual({ type: 'volume', volume: 'tls', mounts: [{ container: 'app', path: '/tls' }] });
  });

  test('GIVEN a volume no container mounts THEN it is no reference: the kubelet skips unused volumes', () => {
    expect(referencesOf({ containers: [{ name: 'app' }], volumes: [{ name: 'tls', secret: { secretName: 'cert' } }] })).toEqual([]);
  });

  test('GIVEN a volume mounted only by an init container THEN it is a reference', () => {
    const refs = referencesOf({ initContainers: [{ name: 'init', volumeMounts: [{ name: 'tls', mountPath: '/tls' }] }], containers: [{ name: 'app' }], volumes: [{ name: 'tls', secret: { secretName: 'cert' } }] });
    expect(summary(refs)).toEqual(['Secret cert [] via volume']);
  });

  test('GIVEN imagePullSecrets THEN they are optional references: the kubelet pulls without a missing one', () => {
    expect(summary(referencesOf({ containers: [], imagePullSecrets: [{ name: 'regcred' }] }))).toEqual(['Secret regcred [] optional via imagePull']);
  });

  describe('what a missing object or key means', () => {
    const required: Reference = { kind: 'Secret', name: 'api', keys: ['token', 'user'], optional: false, source: { type: 'env', container: 'app', env: 'T' } };

    test('GIVEN no such object THEN a required reference is missing its object', () => {
      expect(referenceProblem(required, undefined)).toEqual({ missing: 'object' });
    });

    test('GIVEN the object without some keys THEN those keys are missing', () => {
      expect(referenceProblem(required, new Set(['user']))).toEqual({ missing: 'keys', keys: ['token'] });
      expect(referenceProblem(required, new Set(['user', 'token']))).toBeUndefined();
    });

    test('GIVEN an object whose keys are unknown (provided outside the App) THEN any key is accepted', () => {
      expect(referenceProblem(required, null)).toBeUndefined();
    });

    test('GIVEN an optional reference THEN nothing is ever missing', () => {
      expect(referenceProblem({ ...required, optional: true }, undefined)).toBeUndefined();
      expect(referenceProblem({ ...required, optional: true }, new Set())).toBeUndefined();
    });
  });

  describe('claims of PersistentVolumeClaims', () => {
    test('GIVEN claim volumes, mounted, used as a block device or not used at all THEN each is a required reference: the scheduler binds every claim', () => {
      const refs = referencesOf({
        containers: [{ name: 'app', volumeMounts: [{ name: 'data', mountPath: '/data' }], volumeDevices: [{ name: 'raw', devicePath: '/dev/xvda' }] }],
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: 'app-data' } },
          { name: 'raw', persistentVolumeClaim: { claimName: 'app-raw' } },
          { name: 'spare', persistentVolumeClaim: { claimName: 'app-spare' } },
        ],
      });
      expect(summary(refs)).toEqual(['PersistentVolumeClaim app-data [] via volume', 'PersistentVolumeClaim app-raw [] via volume', 'PersistentVolumeClaim app-spare [] via volume']);
      expect(refs[1].source).toEqual({ type: 'volume', volume: 'raw', mounts: [{ container: 'app', path: '/dev/xvda' }] });
    });

    test('GIVEN a StatefulSet THEN its claim templates are read, and the volumes they replace are no reference', () => {
      expect(claimTemplatesOf({ spec: { volumeClaimTemplates: [{ metadata: { name: 'pgdata' } }, { metadata: {} }] } })).toEqual(['pgdata']);
      const spec = { containers: [{ name: 'db', volumeMounts: [{ name: 'pgdata', mountPath: '/d' }] }], volumes: [{ name: 'pgdata', persistentVolumeClaim: { claimName: 'pgdata' } }] };
      expect(referencesOf(spec, ['pgdata'])).toEqual([]);
      expect(summary(referencesOf(spec))).toEqual(['PersistentVolumeClaim pgdata [] via volume']);
    });
  });
});
