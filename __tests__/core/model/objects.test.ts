import { identityOf, isLabelKey, isLabelValue, isValidName, namespaceOf } from '../../../lib/core/model';

describe('object identity and names', () => {
  test('GIVEN no namespace THEN the object is in default, where kubectl applies it', () => {
    expect(namespaceOf({ kind: 'Secret', metadata: { name: 's' } })).toBe('default');
  });

  test('GIVEN two versions of one group THEN they name one object; another group does not', () => {
    const d = (apiVersion: string) => identityOf({ apiVersion, kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } });
    expect(d('apps/v1')).toBe(d('apps/v1beta2'));
    expect(d('apps/v1')).not.toBe(d('example.com/v1'));
  });

  test('GIVEN a cluster-scoped kind THEN a namespace written on it is no part of its identity', () => {
    expect(identityOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace: 'x' } }))
      .toBe(identityOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }));
    expect(identityOf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'x' } }))
      .not.toBe(identityOf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }));
  });

  test('GIVEN names THEN a Service is held to DNS-1035 labels, a Namespace to DNS-1123 labels, the rest to subdomains', () => {
    expect(isValidName('Service', '1web')).toBe(false);
    expect(isValidName('Namespace', '1web')).toBe(true);
    expect(isValidName('Namespace', 'a.b')).toBe(false);
    expect(isValidName('ConfigMap', 'a.b')).toBe(true);
    expect(isValidName('ConfigMap', 'A')).toBe(false);
  });

  test('GIVEN label keys and values THEN the API server\'s rules apply', () => {
    expect(isLabelKey('app.kubernetes.io/name')).toBe(true);
    expect(isLabelKey('-bad')).toBe(false);
    expect(isLabelValue('')).toBe(true);
    expect(isLabelValue('back end')).toBe(false);
    expect(isLabelValue(1)).toBe(false);
  });
});
