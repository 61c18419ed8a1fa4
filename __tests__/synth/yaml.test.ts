import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { dump } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { BackendExample, ExternalDatabaseExample, ShopExample, WebappExample } from '../../examples';
import { Credentials, Profile, VotingAppChart, VotingAppFleet } from '../../lib';
import { synthesize } from '../../lib/synth/synthesizer';
import { renderApp } from '../../lib/core/app-checks';
import { toYaml } from '../../lib/synth/yaml';
import { tempDir } from '../support/tmp';

/** js-yaml's own `dump` with the options toYaml promises to match. */
function jsYaml(value: unknown): string {
  return dump(value, { lineWidth: -1, noRefs: true, quotingType: '"' });
}

/** Parses a YAML stream with YAML 1.1 rules (yes/no/on/off are booleans, 0123 octal), as kubectl's parser does. */
function parse(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1' }).map(d => d.toJS());
}

function everyChart(): App {
  const app = new App();
  new VotingAppChart(app, 'dev', { credentials: Credentials.fromPassword({ password: 'yes' }) });
  new VotingAppChart(app, 'prod', { profile: Profile.PRODUCTION });
  new VotingAppFleet(app, 'fleet', { tenants: 2, credentials: Credentials.fromPassword({ password: '0123' }) });
  new ShopExample(app, 'shop');
  new WebappExample(app, 'webapp');
  new BackendExample(app, 'backend');
  new ExternalDatabaseExample(app, 'external-database');
  return app;
}

// Scalars that each take a different branch of YAML's quoting rules.
const TRICKY_STRINGS = [
  '', ' ', 'plain', 'yes', 'No', 'ON', 'off', 'y', 'true', 'False', 'null', 'Null', '~', '0123', '0x1F', '0o17', '1_000',
  '1e3', '-1', '+1', '.5', '1.0', '.inf', '-.Inf', '.NaN', 'NaN', '12:30:00', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '<<', '-', '-c', '- x', '?', '? x', ':', 'a: b', 'a:b', 'a #b', '#x', '*', '&a', '!tag', '%x', '@x', '`x', '|', '>',
  '[x]', '{x}', 'x,y', 'x]', '"q"', "'s'", 'it\'s', ' lead', 'trail ', 'tab\there', 'bell\u0007', 'nul\u0000', 'cr\rlf',
  'multi\nline', 'trailing\n', '\nleading', 'two\n\nblank', ' indented\nnext', 'é', 'naïve', '😀', '\uFEFFbom', '\u2028sep',
  'k'.repeat(1100), 'http://x/y?z=1&w=2', 'sha256:0123abcd', '25%', '500m', '640Mi', 'app.kubernetes.io/name',
];
const TRICKY_VALUES: unknown[] = [
  ...TRICKY_STRINGS, 0, -0, 1, -1, 1.5, -2.25, 1e21, 1e-7, 2 ** 53, NaN, Infinity, -Infinity, true, false, null,
  {}, [], [[]], [{}], [[1, 2], [3]], [null, undefined, 'x'], { a: undefined }, { a: undefined, b: 1 }, new Date(0),
];

/** A small deterministic PRNG, so a failure names a reproducible case. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const r = next();
  if (depth > 4 || r < 0.45) {
    return pick(TRICKY_VALUES);
  }
  const size = Math.floor(next() * 4);
  if (r < 0.7) {
    return Array.from({ length: size }, () => randomValue(next, depth + 1));
  }
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) {
    obj[pick(TRICKY_STRINGS)] = randomValue(next, depth + 1);
  }
  return obj;
}

describe('toYaml', () => {
  // One App with every chart, synthesized once for the tests below.
  const app = everyChart();
  const outdir = path.join(tempDir('yaml-test-'), 'dist');
  beforeAll(() => synthesize(app, { outdir }));

  test('GIVEN every object the library and its examples render WHEN written THEN the text is byte for byte js-yaml\'s', () => {
    const objects = renderApp(app);
    expect(objects.length).toBeGreaterThan(80);
    for (const { json } of objects) {
      expect(toYaml(json)).toBe(jsYaml(json));
    }
  });

  test('GIVEN scalars that need quotes, escapes or block style, as keys and as values, THEN the text is js-yaml\'s', () => {
    for (const value of TRICKY_VALUES) {
      const doc = { value, list: [value, { value }], nested: { deeper: { value } } };
      expect(toYaml(doc)).toBe(jsYaml(doc));
    }
    for (const key of TRICKY_STRINGS) {
      const doc = { [key]: 'v', nested: { [key]: { [key]: [key] } } };
      expect(toYaml(doc)).toBe(jsYaml(doc));
    }
  });

  test('GIVEN 500 random nested documents THEN every one is written exactly as js-yaml writes it', () => {
    const next = random(42);
    for (let i = 0; i < 500; i++) {
      const doc = randomValue(next, 0);
      expect([i, toYaml(doc)]).toEqual([i, jsYaml(doc)]);
    }
  });

  test('GIVEN a value js-yaml cannot write THEN toYaml fails the same way', () => {
    expect(() => jsYaml({ f: () => 1 })).toThrow();
    expect(() => toYaml({ f: () => 1 })).toThrow('unacceptable kind of an object to dump');
    const tagged = { a: 1, [Symbol.toStringTag]: 'Tagged' };
    expect(() => jsYaml({ tagged })).toThrow('unacceptable kind of an object to dump [object Tagged]');
    expect(() => toYaml({ tagged })).toThrow('unacceptable kind of an object to dump [object Tagged]');
  });

  test('GIVEN every chart WHEN synthesized THEN each file parses back, as YAML 1.1, to exactly the objects cdk8s rendered', () => {
    for (const chart of app.charts) {
      const parsed = parse(fs.readFileSync(path.join(outdir, `${chart.node.id}.k8s.yaml`), 'utf-8'));
      expect(parsed).toEqual(chart.toJson());
    }
  });

  test('strings that YAML 1.1 would read as booleans or numbers stay strings', () => {
    for (const value of ['yes', 'no', 'on', 'off', 'true', '0123', '1e3', '-c', '', '*', '25%', 'a: b', '#x']) {
      expect(parse(toYaml({ value }))).toEqual([{ value }]);
    }
  });
});
