import { App, Chart, Size } from 'cdk8s';
import { Credentials, Persistence, VotingApp } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';
import { find, ofKind, votingApp } from '../support/manifests';
import { messagesOf } from '../support/problems';

describe('VotingApp with an external database', () => {
  const objects = votingApp({ credentials: undefined, externalDatabase: { host: 'votes.abc123.eu-west-1.rds.amazonaws.com' } });

  test('db is an ExternalName Service to the managed postgres, and no db Deployment, Secret or volume is made', () => {
    expect(find(objects, 'Service', 'db').spec).toMatchObject({ type: 'ExternalName', externalName: 'votes.abc123.eu-west-1.rds.amazonaws.com' });
    expect(ofKind(objects, 'Deployment').map(d => d.metadata.name).sort()).toEqual(['redis', 'result', 'vote', 'worker']);
    expect(ofKind(objects, 'Secret')).toHaveLength(0);
    expect(ofKind(objects, 'PersistentVolumeClaim')).toHaveLength(0);
    expect(ofKind(objects, 'NetworkPolicy').map(p => p.metadata.name).sort()).toEqual(['redis-ingress', 'result-ingress', 'vote-ingress', 'worker-ingress']);
  });

  test.each([
    [{ credentials: Credentials.fromPassword({ password: 'p' }) }],
    [{ persistence: Persistence.claim({ size: Size.gibibytes(1) }) }],
  ])('refuses in-cluster database settings alongside it, at synth with every other problem: %p', extra => {
    const app = new App();
    new VotingApp(new Chart(app, 'c'), 'app', { externalDatabase: { host: 'db.example.com' }, ...extra });
    expect(messagesOf(validateApp(app))).toEqual([
      '[c/app] CVA108 externalDatabase is set together with in-cluster database settings (credentials, persistence, postgres image or resources). Fix: drop those settings: the external database keeps its own credentials and data']);
  });

  test('without it, credentials are required, reported once (not again by the apps that would reach db)', () => {
    const app = new App();
    new VotingApp(new Chart(app, 'c'), 'app', {});
    expect(messagesOf(validateApp(app))).toEqual([
      '[c/app] CVA109 no database credentials given. Fix: pass credentials: Credentials.fromPassword(...) or Credentials.fromSecret(...), or use externalDatabase']);
  });
});
