import * as rules from '../../../lib/core/rules/names';
import * as model from '../../../lib/core/model';

describe('name rules (lib/core/rules/names): the one place each Kubernetes name rule is written', () => {
  test('GIVEN the synth model THEN its name predicates are these very functions, not copies', () => {
    expect(model.isLabelKey).toBe(rules.isLabelKey);
    expect(model.isLabelValue).toBe(rules.isLabelValue);
    expect(model.isValidName).toBe(rules.isValidName);
    expect(model.isNamespaceName).toBe(rules.isNamespaceName);
    expect(model.nameRuleOf).toBe(rules.nameRuleOf);
  });

  test('GIVEN object names THEN a Service needs a DNS-1035 label, a Namespace a DNS-1123 label, others a subdomain', () => {
    expect(rules.isValidName('Service', 'web')).toBe(true);
    expect(rules.isValidName('Service', '1web')).toBe(false);
    expect(rules.isValidName('Namespace', '1web')).toBe(true);
    expect(rules.isNamespaceName('a.b')).toBe(false);
    expect(rules.isNamespaceName('a'.repeat(63))).toBe(true);
    expect(rules.isNamespaceName('a'.repeat(64))).toBe(false);
    expect(rules.isValidName('ConfigMap', 'a.b')).toBe(true);
    expect(rules.isValidName('ConfigMap', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`)).toBe(true); // 253
    expect(rules.isValidName('ConfigMap', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`)).toBe(false); // 254
    expect(rules.nameRuleOf('Service')).toMatchObject({ max: 63, rule: 'DNS-1035 label' });
  });

  test('GIVEN label keys and values THEN the prefix is a subdomain, the name and the value at most 63 characters', () => {
    expect(rules.isLabelKey('app.kubernetes.io/name')).toBe(true);
    expect(rules.isLabelKey('Name_1.x')).toBe(true);
    expect(rules.isLabelKey('-bad')).toBe(false);
    expect(rules.isLabelKey('Bad.Prefix/name')).toBe(false);
    expect(rules.isLabelKey('a'.repeat(64))).toBe(false);
    expect(rules.isLabelValue('')).toBe(true);
    expect(rules.isLabelValue('v1.2_3-x')).toBe(true);
    expect(rules.isLabelValue('a'.repeat(64))).toBe(false);
    expect(rules.isLabelValue('has space')).toBe(false);
    expect(rules.isLabelValue(3)).toBe(false);
  });

  test('GIVEN env var names THEN letters, digits, "_", "-" and "." are accepted, not a leading digit nor "." or ".."', () => {
    expect(['DB_HOST', 'my.var', '-x', '_1', '.a'].map(rules.isEnvVarName)).toEqual([true, true, true, true, true]);
    expect(['1ST', 'has space', '.', '..', '..x', ''].map(rules.isEnvVarName)).toEqual([false, false, false, false, false, false]);
  });

  test('GIVEN port names THEN 1-15 lower-case letters, digits and single "-", with a letter (IANA_SVC_NAME)', () => {
    expect(['http', 'h2c', 'a-b', 'a'.repeat(15)].map(rules.isPortName)).toEqual([true, true, true, true]);
    expect(['80', 'HTTP', 'a--b', '-a', 'a-', 'a'.repeat(16), ''].map(rules.isPortName)).toEqual([false, false, false, false, false, false, false]);
  });

  test('GIVEN Secret keys THEN letters, digits, "-", "_" and "." only, at most 253 characters', () => {
    expect(['password', 'tls.crt', 'A_B-c'].map(rules.isSecretKey)).toEqual([true, true, true]);
    expect(['', 'a/b', 'pass word', 'a'.repeat(254)].map(rules.isSecretKey)).toEqual([false, false, false, false]);
  });

  test('GIVEN an externalName THEN a host name, with or without its trailing dot, is what the API server takes; a URL is not; an IPv4 address is told apart', () => {
    expect(rules.isExternalHostName('mydb.example.com')).toBe(true);
    expect(rules.isExternalHostName('mydb.example.com.')).toBe(true);
    expect(rules.isExternalHostName('mydb.example.com..')).toBe(false);
    expect(rules.isDottedIpv4('10.0.0.1')).toBe(true);
    expect(rules.isDottedIpv4('mydb.example.com')).toBe(false);
    expect(rules.isExternalHostName('https://example.com')).toBe(false);
    expect(rules.isDns1123Subdomain('a'.repeat(254))).toBe(false);
  });
});

describe('nearest names (lib/core/rules/names): the one a name most likely mistypes', () => {
  test('GIVEN typing mistakes THEN each costs one edit, a swap of neighbours included', () => {
    expect(rules.editDistance('shop', 'shop')).toBe(0);
    expect(rules.editDistance('shpo', 'shop')).toBe(1);
    expect(rules.editDistance('shp', 'shop')).toBe(1);
    expect(rules.editDistance('shoop', 'shop')).toBe(1);
    expect(rules.editDistance('payments', 'shop')).toBe(8);
  });

  test('GIVEN candidates THEN the nearest within 2 edits and under half the length is chosen, else none', () => {
    expect(rules.nearestName('shpo', ['default', 'shop', 'shops'])).toBe('shop');
    expect(rules.nearestName('payments', ['shop'])).toBeUndefined();
    expect(rules.nearestName('db', ['ab'])).toBeUndefined();
    expect(rules.nearestName('shop', ['shop'])).toBeUndefined();
  });

  test('GIVEN the namespaces every cluster has THEN they are the four of kube-apiserver', () => {
    expect(rules.BUILT_IN_NAMESPACES).toEqual(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  });
});
