import { App, Chart, Size } from 'cdk8s';
import { Credentials, Persistence } from '../../lib';
import { Postgres, PostgresProps } from '../../lib/voting-app/postgres';
import { Redis } from '../../lib/voting-app/redis';
import { validateApp } from '../../lib/synth/synthesizer';
import { find, synth } from '../support/manifests';
import { tempDir } from '../support/tmp';
import { messagesOf } from '../support/problems';

describe('Postgres and Redis', () => {
  const chart = () => new Chart(new App(), 'c');
  const credentials = Credentials.fromPassword({ password: 'p' });

  test.each([
    [(c: Chart) => new Postgres(c, 'db', { credentials, replicas: 2 }), '[c/db] CVA102 db replicas must be an integer from 0 to 1, got 2. Fix: set db replicas to an integer from 0 to 1'],
    [(c: Chart) => new Redis(c, 'redis', { replicas: 3 }), '[c/redis] CVA102 redis replicas must be an integer from 0 to 1, got 3. Fix: set redis replicas to an integer from 0 to 1'],
  ])('GIVEN more than one replica of a single-instance store THEN synth reports it with every other problem %#', (build, message) => {
    const c = chart();
    build(c);
    expect(messagesOf(validateApp(c.node.root as App))).toEqual([message]);
  });

  test('GIVEN a Postgres THEN its scratch volumes (socket folder, /tmp) have a size limit', () => {
    const c = chart();
    new Postgres(c, 'db', { credentials });
    const volumes = find(synth(c), 'Deployment', 'db').spec.template.spec.volumes as { name: string; emptyDir?: { sizeLimit?: string } }[];
    expect(Object.fromEntries(volumes.filter((v) => v.name !== 'data').map((v) => [v.name, v.emptyDir?.sizeLimit])))
      .toEqual({ run: '16Mi', tmp: '64Mi' });
  });

  test('GIVEN cdk8s\'s own App.synth() THEN a collected problem names its construct path once', () => {
    const app = new App({ outdir: tempDir('cdk8s-synth-') });
    new Redis(new Chart(app, 'c'), 'redis', { replicas: 3 });
    expect(() => app.synth()).toThrow(
      'Validation failed with the following errors:\n  [c/redis] CVA102 redis replicas must be an integer from 0 to 1, got 3. Fix: set redis replicas to an integer from 0 to 1');
  });

  test.each([
    ['a claim size that is no whole number of MiB', { persistence: Persistence.claim({ size: Size.kibibytes(100) }) },
      '[c/db] CVA102 the persistent volume size of Persistence.claim must be a positive whole number of MiB, got 100Ki. Fix: use e.g. Size.gibibytes(5)'],
    ['a storage class that is no DNS-1123 label', { persistence: Persistence.claim({ size: Size.gibibytes(1), storageClass: 'Fast SSD' }) },
      '[c/db] CVA101 storage class of Persistence.claim "Fast SSD" is not a valid DNS-1123 label (at most 63 characters of lower-case letters, digits and "-", starting and ending with a letter or digit). Fix: choose a name such as "fast-ssd"'],
    ['one Secret key for user name and password', { credentials: Credentials.fromSecretName('db', { usernameKey: 'k', passwordKey: 'k' }) },
      '[c/db] CVA107 user name and password use the same Secret key "k". Fix: give them distinct keys'],
  ] as Array<[string, Partial<PostgresProps>, string]>)('GIVEN %s THEN the db that uses it reports it, nothing thrown where the value is made', (_title, props, message) => {
    const app = new App();
    new Postgres(new Chart(app, 'c'), 'db', { credentials, ...props });
    expect(messagesOf(validateApp(app))).toEqual([message]);
  });
});
