import { capabilityVerdict, isLinuxId, isUnprivilegedPortStart, LINUX_CAPABILITIES, probeCanReach } from '../../../lib/core/rules/security';
import { isOnlyReferences, literalCredentialIn, literalCredentialsInCommandLine, namesCredential } from '../../../lib/core/rules/credentials';

describe('security rules (lib/core/rules/security): what the API server, the kubelet, the kernel and the runtime accept', () => {
  test('GIVEN uids and gids THEN the API server accepts integers from 0 to 2147483647', () => {
    expect([0, 1000, 2147483647].map(isLinuxId)).toEqual([true, true, true]);
    expect([-1, 2147483648, 1.5, NaN].map(isLinuxId)).toEqual([false, false, false, false]);
  });

  test('GIVEN capability names THEN the 41 Linux capabilities pass, and the runtime\'s view of the others is told', () => {
    expect(LINUX_CAPABILITIES).toHaveLength(41);
    expect(LINUX_CAPABILITIES.every(c => capabilityVerdict(c).kind === 'ok')).toBe(true);
    expect(capabilityVerdict('ALL')).toEqual({ kind: 'all' });
    expect(capabilityVerdict('all')).toEqual({ kind: 'all' });
    expect(capabilityVerdict('CAP_SYS_TIME')).toEqual({ kind: 'prefixed', name: 'SYS_TIME' });
    expect(capabilityVerdict('kill')).toEqual({ kind: 'lower-case', name: 'KILL' });
    expect(capabilityVerdict('NETADMIN')).toEqual({ kind: 'unknown', name: 'NET_ADMIN' });
    expect(capabilityVerdict('net-raw ')).toEqual({ kind: 'unknown', name: 'NET_RAW' });
  });

  test('GIVEN ip_unprivileged_port_start values THEN the kernel accepts integers from 0 up to the start of ip_local_port_range, 32768', () => {
    expect([0, 80, 1024, 32768].map(isUnprivilegedPortStart)).toEqual([true, true, true, true]);
    expect([-1, 32769, 65535, 65536, 80.5].map(isUnprivilegedPortStart)).toEqual([false, false, false, false, false]);
  });

  test('GIVEN a connecting probe THEN it reaches TCP ports only', () => {
    expect([probeCanReach('TCP'), probeCanReach('UDP')]).toEqual([true, false]);
  });
});

describe('credential rules (lib/core/rules/credentials): where a password is written in plain text', () => {
  test.each([
    ['postgres://app:hunter2@db:5432/app', 'a URL'],
    ['redis://:hunter2@cache:6379/0', 'a URL'],
    ['amqp://guest:guest@mq, amqp://x@mq2', 'a URL'],
    ['Server=db;Username=app;Password=hunter2;', 'a connection string'],
    ['Data Source=db;User Id=app;Pwd=hunter2', 'a connection string'],
    ["host=db user=app password='hunter 2'", 'a connection string'],
    ['jdbc:postgresql://db/app?user=app&password=hunter2', 'a connection string'],
  ])('GIVEN %s THEN a literal password is found in %s', (value, place) => {
    expect(literalCredentialIn(value)).toBe(place);
  });

  test.each([
    'postgres://app:$(DB_PASSWORD)@db/app', 'postgres://$(DB_USER):$(DB_PASSWORD)@db/app', 'https://user@host/path', 'redis://:@cache',
    'http://proxy:3128', 'host=db user=app password=$(PGPASSWORD)', "host=db password=''", 'password_file=/run/secrets/pw', 'info', '',
  ])('GIVEN %p THEN no literal password is found', (value) => {
    expect(literalCredentialIn(value)).toBeUndefined();
  });

  test('GIVEN a command line THEN --flag=value of a credential flag and passwords in URLs are found, references and file flags are not', () => {
    expect(literalCredentialsInCommandLine(['--password=hunter2', '--password-file=/x', '--token=$(T)', '--dsn=postgres://a:b@c', '--api-key=abc', '--password', 'two-args-are-left-alone']))
      .toEqual([{ index: 0, flag: '--password' }, { index: 3, place: 'a URL' }, { index: 4, flag: '--api-key' }]);
  });

  test('GIVEN $(VAR) references THEN only values made of references alone are no literal', () => {
    expect([isOnlyReferences('$(A)'), isOnlyReferences('$(A)$(B_2)'), isOnlyReferences('x$(A)'), isOnlyReferences('$$(A)')]).toEqual([true, true, false, false]);
    expect([namesCredential('--db-password'), namesCredential('DB_PASSWORD_FILE')]).toEqual([true, false]);
  });
});
