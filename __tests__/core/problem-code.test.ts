import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ContainerPort, Microservice, ProblemCode } from '../../lib';
import { ConfigurationError } from '../../lib/core/errors';
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

describe('ConfigurationError: the one format of every problem', () => {
  test('GIVEN a bad value WHEN it is made THEN the error names where, the code, the problem and the fix', () => {
    let error: unknown;
    try {
      ContainerPort.tcp('http', 70000);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const e = error as ConfigurationError;
    expect(e.message).toBe('[ContainerPort http] CVA102 port must be an integer from 1 to 65535, got 70000. Fix: set port to an integer from 1 to 65535');
    expect({ code: e.code, path: e.path, problem: e.problem, fix: e.fix }).toEqual({
      code: ProblemCode.OUT_OF_RANGE.code,
      path: 'ContainerPort http',
      problem: 'port must be an integer from 1 to 65535, got 70000',
      fix: 'set port to an integer from 1 to 65535',
    });
  });

  test('GIVEN a construct with a problem WHEN stock cdk8s synthesizes the App THEN its message reads the same, path and code first', () => {
    const app = new App({ outdir: tempDir('problem-codes-') });
    new Microservice(new Chart(app, 'c'), 'web', { image: 'nginx' });
    expect(() => app.synth()).toThrow('[c/web] CVA104 image "nginx" has no tag or digest');
  });
});
