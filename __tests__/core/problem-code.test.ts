import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AppNamespace, ContainerPort, Microservice, ProblemCode } from '../../lib';
import { KubeService } from '../../imports/k8s';
import { Construct } from 'constructs';
import { Problems, ProblemSeverity, Synthesizer } from '../../lib';
import { messagesOf } from '../support/problems';
import { tempDir } from '../support/tmp';

/** The codes of the catalogue, by the name of their static property. */
const catalogue = Object.entries(ProblemCode).filter((e): e is [string, ProblemCode] => e[1] instanceof ProblemCode);

/** The text of every .ts file under `dir`. */
const sources = (dir: string) => fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' })
  .filter(f => f.endsWith('.ts'))
  .map(f => fs.readFileSync(path.join(dir, f), 'utf-8'));

describe('ProblemCode: one stable code per kind of problem', () => {
  test('GIVEN the catalogue THEN every code is CVA and three digits, and no code or slug is used twice', () => {
    expect(catalogue.length).toBeGreaterThan(0);
    for (const [, c] of catalogue) {
      expect(c.code).toMatch(/^CVA[12]\d\d$/);
      expect(typeof c.serverAccepts).toBe('boolean');
      expect(c.slug).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
    expect(new Set(catalogue.map(([, c]) => c.code)).size).toBe(catalogue.length);
    expect(new Set(catalogue.map(([, c]) => c.slug)).size).toBe(catalogue.length);
  });

  test('GIVEN the library THEN every code of the catalogue is reported by some check (none is dead)', () => {
    const lib = sources(path.join(__dirname, '..', '..', 'lib')).join('\n');
    const unused = catalogue.filter(([name]) => !lib.includes(`ProblemCode.${name}`)).map(([name]) => name);
    expect(unused).toEqual([]);
  });

  test('GIVEN the tests THEN every code has a test that expects it in a message', () => {
    const tests = sources(path.join(__dirname, '..')).join('\n');
    const untested = catalogue.filter(([, c]) => !new RegExp(`\\] ${c.code} `).test(tests)).map(([, c]) => c.code);
    expect(untested).toEqual([]);
  });
});

describe('Problems as data: recorded where found, formatted once', () => {
  test('GIVEN a bad value object WHEN it is made THEN nothing is thrown, and the construct that uses it reports it with its own path', () => {
    // GIVEN / WHEN
    const port = ContainerPort.tcp('http', 70000);
    const app = new App();
    new Microservice(new Chart(app, 'c'), 'web', { image: 'nginx:1.27', ports: [port] });
    // THEN
    expect(Synthesizer.validate(app)).toEqual([{
      path: 'c/web',
      code: ProblemCode.OUT_OF_RANGE.code,
      problem: 'port http must be an integer from 1 to 65535, got 70000',
      fix: 'set port http to an integer from 1 to 65535',
      severity: ProblemSeverity.ERROR,
    }]);
    expect(messagesOf(Synthesizer.validate(app))).toEqual(['[c/web] CVA102 port http must be an integer from 1 to 65535, got 70000. Fix: set port http to an integer from 1 to 65535']);
  });

  test('GIVEN one bad value object used by two constructs THEN it is reported once, by the first, with every other problem of the App', () => {
    const port = ContainerPort.tcp('prometheus-metrics', 9090);
    const app = new App();
    const chart = new Chart(app, 'c');
    new Microservice(chart, 'a', { image: 'nginx:1.27', ports: [port] });
    new Microservice(chart, 'b', { image: 'nginx', ports: [port] });
    expect(messagesOf(Synthesizer.validate(app))).toEqual([
      '[c/a] CVA101 port name "prometheus-metrics" is not a valid IANA service name (1-15 lower-case letters, digits and single "-", with a letter). Fix: use a short name such as "prometh-metrics"',
      '[c/b] CVA104 image "nginx" has no tag or digest, so every pull may bring a different version. Fix: pin it, e.g. "nginx:1.0" or "nginx@sha256:..."',
    ]);
  });

  test('GIVEN a construct of the user\'s own that records its problems through Problems THEN synth reports them as data, with every other problem, at once', () => {
    // GIVEN a construct that checks its props now, and what is added to it later at validation
    class Queue extends Construct {
      public readonly consumers: string[] = [];
      constructor(scope: Construct, id: string, props: { partitions: number; name: string }) {
        super(scope, id);
        const problems = Problems.of(this);
        problems.checkInteger('partitions', props.partitions, 1, 64);
        problems.checkName('name', props.name);
        problems.addCheck({ runCheck: p => p.check(this.consumers.length > 0, ProblemCode.MISSING_SETTING, 'has no consumer', 'add one with consumers.push(...)') });
      }
    }
    const app = new App();
    const chart = new Chart(app, 'c');
    new Queue(chart, 'orders', { partitions: 0, name: 'Orders' });
    new Microservice(chart, 'web', { image: 'nginx' });
    // WHEN / THEN
    expect(messagesOf(Synthesizer.validate(app))).toEqual([
      '[c/orders] CVA102 partitions must be an integer from 1 to 64, got 0. Fix: set partitions to an integer from 1 to 64',
      '[c/orders] CVA101 name "Orders" is not a valid DNS-1123 label (at most 63 characters of lower-case letters, digits and "-", starting and ending with a letter or digit). Fix: choose a name such as "orders"',
      '[c/orders] CVA109 has no consumer. Fix: add one with consumers.push(...)',
      '[c/web] CVA104 image "nginx" has no tag or digest, so every pull may bring a different version. Fix: pin it, e.g. "nginx:1.0" or "nginx@sha256:..."',
    ]);
  });

  test('GIVEN an App whose only construct of this library records nothing WHEN stock cdk8s synthesizes it THEN the App-wide checks still run', () => {
    // GIVEN a valid AppNamespace (its recorder finds nothing) beside a raw Service that routes nowhere
    const outdir = tempDir('problem-codes-');
    const app = new App({ outdir });
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    new AppNamespace(chart, 'ns', { name: 'shop' });
    new KubeService(chart, 'orphan', { metadata: { name: 'orphan' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/App-wide check: \[c\/orphan\] CVA201 Service shop\/orphan: selector app=nothing matches no pod template/);
  });

  test('GIVEN a recorder with an error and a warning WHEN cdk8s validates its construct THEN the recorder is the validation, and only the error is a message', () => {
    // GIVEN
    const scope = new Construct(new Chart(new App(), 'c'), 'thing');
    const found = Problems.of(scope);
    found.report(ProblemCode.INVALID_VALUE, 'size is negative', 'make it positive');
    found.warnUnless(false, ProblemCode.INVALID_VALUE, 'size is odd', 'make it even');
    // WHEN / THEN
    expect(found.validate()).toEqual(['CVA103 size is negative. Fix: make it positive']);
    expect(scope.node.validate()).toEqual(found.validate());
  });

  test('GIVEN a construct with a problem WHEN stock cdk8s synthesizes the App THEN its message reads the same, path and code first', () => {
    const app = new App({ outdir: tempDir('problem-codes-') });
    new Microservice(new Chart(app, 'c'), 'web', { image: 'nginx' });
    expect(() => app.synth()).toThrow('[c/web] CVA104 image "nginx" has no tag or digest');
  });

  test('GIVEN a Service that routes nowhere WHEN stock cdk8s synthesizes the App THEN the App-wide checks run too, and nothing is written', () => {
    // GIVEN a raw Service whose selector matches no pod, in an App that never calls Synthesizer
    const outdir = tempDir('problem-codes-');
    const app = new App({ outdir });
    const chart = new Chart(app, 'c');
    new Microservice(chart, 'web', { image: 'nginx:1.27', ports: [ContainerPort.tcp('http', 80)] });
    new KubeService(chart, 'orphan', { metadata: { name: 'orphan' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/App-wide check: \[c\/orphan\] CVA201 Service default\/orphan: selector app=nothing matches no pod template/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

describe('docs/problems.md: the list of codes users read', () => {
  test('GIVEN the catalogue THEN the doc lists every code, with its slug and whether the API server accepts it', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'problems.md'), 'utf-8');
    const rows = [...doc.matchAll(/^\| (CVA\d{3}) \| `([a-z-]+)` \| (yes|no)\b/gm)].map(m => [m[1], m[2], m[3] === 'yes']);
    expect(rows).toEqual(ProblemCode.all().map(c => [c.code, c.slug, c.serverAccepts]));
  });
});
