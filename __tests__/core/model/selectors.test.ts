import { matchesLabels, matchesSelector } from '../../../lib/core/model';

describe('label selectors', () => {
  const pod = { app: 'api', tier: 'backend' };

  test('GIVEN a plain map selector WHEN every pair is among the labels THEN it matches; one differing value THEN it does not', () => {
    expect(matchesLabels({ app: 'api' }, pod)).toBe(true);
    expect(matchesLabels({ app: 'api', tier: 'backend' }, pod)).toBe(true);
    expect(matchesLabels({ app: 'web' }, pod)).toBe(false);
    expect(matchesLabels({ app: 'api', zone: 'a' }, pod)).toBe(false);
  });

  test('GIVEN an empty map or an empty LabelSelector THEN it matches every pod (whether empty means none is the caller\'s rule)', () => {
    expect(matchesLabels({}, pod)).toBe(true);
    expect(matchesSelector({}, pod)).toBe(true);
    expect(matchesSelector({}, {})).toBe(true);
  });

  test.each([
    ['In, value listed', { key: 'tier', operator: 'In', values: ['backend', 'db'] }, true],
    ['In, value not listed', { key: 'tier', operator: 'In', values: ['db'] }, false],
    ['In, key absent', { key: 'zone', operator: 'In', values: ['a'] }, false],
    ['NotIn, value listed', { key: 'tier', operator: 'NotIn', values: ['backend'] }, false],
    ['NotIn, value not listed', { key: 'tier', operator: 'NotIn', values: ['db'] }, true],
    ['NotIn, key absent', { key: 'zone', operator: 'NotIn', values: ['a'] }, true],
    ['Exists, key present', { key: 'app', operator: 'Exists' }, true],
    ['Exists, key absent', { key: 'zone', operator: 'Exists' }, false],
    ['DoesNotExist, key present', { key: 'app', operator: 'DoesNotExist' }, false],
    ['DoesNotExist, key absent', { key: 'zone', operator: 'DoesNotExist' }, true],
    ['an operator the API server rejects', { key: 'app', operator: 'Like', values: ['api'] }, false],
  ])('GIVEN matchExpressions %s THEN the pod matches: %s', (_title, expression, expected) => {
    expect(matchesSelector({ matchExpressions: [expression] }, pod)).toBe(expected);
  });

  test('GIVEN matchLabels and matchExpressions THEN all of them must hold', () => {
    expect(matchesSelector({ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, pod)).toBe(true);
    expect(matchesSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, pod)).toBe(false);
    expect(matchesSelector({ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, pod)).toBe(false);
  });
});
