import { votingApp } from '../support/manifests';

describe('VotingAppChart', () => {
  test('snapshot of the default stack', () => {
    // A snapshot only shows that the output changed; the targeted tests in
    // voting-app.test.ts say whether the change is right.
    expect(votingApp()).toMatchSnapshot();
  });

  test('the namespace enforces the baseline Pod Security Standard', () => {
    const [ns] = votingApp();
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'baseline' });
  });

  test('a custom namespace holds every object', () => {
    const objects = votingApp({ namespace: 'workshop-7' });
    expect(objects[0].metadata.name).toBe('workshop-7');
    objects.slice(1).forEach(o => expect(o.metadata.namespace).toBe('workshop-7'));
  });
});
