import { App, Chart } from 'cdk8s';
import { credentialsFromEnv, ENV, STOCK_IMAGE_CREDENTIALS } from '../../app/settings';
import { VotingApp } from '../../lib';
import { decoded, find, ofKind, synth } from '../support/manifests';

function stack(env: Record<string, string>) {
  const chart = new Chart(new App(), 'c');
  const { credentials, warnings } = credentialsFromEnv(env);
  new VotingApp(chart, 'app', { credentials });
  return { objects: synth(chart), warnings };
}

describe('credentialsFromEnv', () => {
  test('GIVEN nothing set THEN the Secret holds what the stock images require, without warnings', () => {
    const { objects, warnings } = stack({});
    expect(decoded(find(objects, 'Secret', 'db-credentials'))).toEqual({ ...STOCK_IMAGE_CREDENTIALS });
    expect(warnings).toEqual([]);
  });

  test('GIVEN a password in the environment THEN it lands in the Secret only, with a warning about the stock images', () => {
    const { objects, warnings } = stack({ [ENV.DB_PASSWORD]: 'from-env-123' });
    expect(decoded(find(objects, 'Secret', 'db-credentials'))).toEqual({ username: 'postgres', password: 'from-env-123' });
    expect(JSON.stringify(objects.filter(o => o.kind !== 'Secret'))).not.toContain('from-env-123');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('cannot reach db until rebuilt');
  });

  test('GIVEN an existing Secret THEN nothing is emitted and db reads it', () => {
    const { objects } = stack({ [ENV.DB_SECRET]: 'vault-synced' });
    expect(ofKind(objects, 'Secret')).toHaveLength(0);
    expect(JSON.stringify(find(objects, 'Deployment', 'db'))).toContain('"name":"vault-synced"');
  });

  test('GIVEN both an existing Secret and a password THEN it refuses to guess', () => {
    expect(() => credentialsFromEnv({ [ENV.DB_SECRET]: 's', [ENV.DB_PASSWORD]: 'p' })).toThrow(
      '[environment] CVA108 VOTING_APP_DB_SECRET is set together with VOTING_APP_DB_USER/VOTING_APP_DB_PASSWORD, so it is unclear which credentials to use. Fix: unset VOTING_APP_DB_USER and VOTING_APP_DB_PASSWORD (the existing Secret holds them), or unset VOTING_APP_DB_SECRET');
  });

  test('GIVEN an empty password THEN synth fails', () => {
    expect(() => stack({ [ENV.DB_PASSWORD]: '' })).toThrow('[c/app/Db] CVA103 the database password of Credentials.fromPassword is empty. Fix: set a non-empty password (see README: "Database credentials")');
  });

  test('GIVEN an invalid Secret name THEN it says so', () => {
    expect(() => stack({ [ENV.DB_SECRET]: 'Bad_Name' })).toThrow('[c/app/Db] CVA101 Secret name of Credentials.fromSecret(Bad_Name) "Bad_Name" is not a valid DNS-1123 label');
  });
});
