import { spawnSync } from 'child_process';
import { buildSync } from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, ApiObjectMetadata, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { loadAll } from 'js-yaml';
import { BackendExample, WebappExample } from '../../examples';
import { ContainerPort, Credentials, Microservice, Profile, Synthesizer, VotingApp, VotingAppChart } from '../../lib';

// The Python suite: examples/python, run on the wheel that `npm run test:python` builds and installs.
const root = path.resolve(__dirname, '..', '..');
const appDir = path.join(root, 'examples', 'python');
const python = process.env.CVA_PYTHON;

function runPython(script: string, args: string[], cwd = appDir): string {
  if (!python) {
    throw new Error('CVA_PYTHON is not set: run this suite with `npm run test:python`, which builds the wheel and its virtualenv');
  }
  const r = spawnSync(python, [path.resolve(appDir, script), ...args], { cwd, encoding: 'utf-8' });
  if (r.error) {
    throw r.error;
  }
  if (r.status !== 0) {
    throw new Error(`${script} ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  }
  return r.stdout;
}

// Every scratch folder of the suite lives in one, removed when it ends.
let scratchRoot = '';
beforeAll(() => {
  scratchRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-voting-app-python-'));
});
afterAll(() => fs.rmSync(scratchRoot, { recursive: true, force: true }));
const scratch = (name: string) => fs.mkdtempSync(path.join(scratchRoot, `${name}-`));

/** The charts of examples/python/app.py, built in TypeScript as main.ts builds them. */
function typescriptApp(): App {
  const app = new App();
  const credentials = Credentials.fromPassword({ username: 'postgres', password: 'postgres' });
  Synthesizer.outputFile(new VotingAppChart(app, 'voting-app', { credentials }), 'voting-app.k8s.yaml');
  Synthesizer.outputFile(new VotingAppChart(app, 'production', { profile: Profile.PRODUCTION }), 'production/voting-app.k8s.yaml');
  Synthesizer.outputFile(new WebappExample(app, 'webapp'), 'examples/webapp.k8s.yaml');
  Synthesizer.outputFile(new BackendExample(app, 'backend'), 'examples/backend.k8s.yaml');
  return app;
}

/** The mistakes of examples/python/mistakes.py, made in TypeScript. */
const mistakes: Record<string, (app: App) => void> = {
  'service-selecting-no-pod': app => {
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new Microservice(chart, 'Backend', { name: 'backend', image: 'hashicorp/http-echo:1.0', ports: [ContainerPort.tcp('http', 5678)] });
    const svc = new kplus.Service(chart, 'Orders', { metadata: { name: 'orders' } as ApiObjectMetadata, ports: [{ port: 80, targetPort: 5678 }] });
    svc.selectLabel('app.kubernetes.io/name', 'backnd');
  },
  'secret-key-missing': app => {
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const secret = new kplus.Secret(chart, 'DbCredentials', { metadata: { name: 'db-credentials' }, stringData: { user: 'postgres', password: 'postgres' } });
    new VotingApp(chart, 'App', { credentials: Credentials.fromSecret(secret) });
  },
};

const docs = (file: string) => loadAll(fs.readFileSync(file, 'utf-8'));

/** The code between `<!-- name -->` and `<!-- /name -->` in the README. */
function readmeSample(name: string): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
  const m = new RegExp(`<!-- ${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\`\\n<!-- /${name} -->`).exec(readme);
  if (!m) {
    throw new Error(`README.md has no ${name} block`);
  }
  return m[1];
}

describe('the library from Python (examples/python on the jsii wheel)', () => {
  test('GIVEN the Python app WHEN it synthesizes THEN it writes the files of the TypeScript synth, object for object', () => {
    // GIVEN
    const tsOut = scratch('ts');
    const pyOut = scratch('py');
    // WHEN
    const written = Synthesizer.synthesize(typescriptApp(), { outdir: tsOut, keepFiles: true });
    runPython('app.py', [pyOut]);
    // THEN
    const pyFiles = fs.readdirSync(pyOut, { recursive: true, encoding: 'utf-8' }).filter(f => f.endsWith('.yaml')).sort();
    expect(pyFiles).toEqual([...written].sort());
    for (const file of written) {
      const ts = docs(path.join(tsOut, file));
      expect(ts.length).toBeGreaterThan(0);
      expect({ file, objects: docs(path.join(pyOut, file)) }).toEqual({ file, objects: ts });
      // and what main.ts wrote to the committed dist/ (CI checks dist/ against a fresh synth)
      expect({ file, objects: docs(path.join(root, 'dist', file)) }).toEqual({ file, objects: ts });
    }
  });

  test.each(Object.keys(mistakes))('GIVEN the mistake %s made in Python THEN synth fails with the TypeScript message, naming the construct and the fix', (name) => {
    // GIVEN the same mistake in TypeScript
    const app = new App();
    mistakes[name](app);
    let expected = '';
    try {
      Synthesizer.synthesize(app, { outdir: scratch('ts-mistake') });
    } catch (err) {
      expected = String(err);
    }
    expect(expected).toMatch(/^SynthesisError: synth failed with 1 problem; nothing was written:\n {2}- \[shop\/[^\]]+\] CVA2\d\d .+\. Fix: .+/);
    // WHEN
    const pyOut = scratch('py-mistake');
    const { error, problems } = JSON.parse(runPython('mistakes.py', [name, pyOut])) as { error: string | null; problems: unknown[] };
    // THEN the same message, and Synthesizer.validate gives Python the same problems, as data
    expect(error).toBe(expected);
    expect(problems).toEqual(Synthesizer.validate(app));
    expect(fs.readdirSync(pyOut)).toEqual([]);
  });

  test('GIVEN the README\'s Python sample WHEN it runs THEN it writes what the README\'s TypeScript sample writes', () => {
    // GIVEN both samples, the TypeScript one against this checkout's lib/ instead of the package
    const tsDir = scratch('readme-ts');
    const pyDir = scratch('readme-py');
    const ts = readmeSample('library-example').replace(/'cdk8s-voting-app\/(\w+)'/g, (_, layer: string) => JSON.stringify(path.join(root, 'lib', layer)));
    fs.writeFileSync(path.join(tsDir, 'main.ts'), ts);
    buildSync({ entryPoints: [path.join(tsDir, 'main.ts')], bundle: true, platform: 'node', outfile: path.join(tsDir, 'main.js'), logLevel: 'warning', nodePaths: [path.join(root, 'node_modules')] });
    fs.writeFileSync(path.join(pyDir, 'main.py'), readmeSample('python-example'));
    // WHEN
    const r = spawnSync(process.execPath, [path.join(tsDir, 'main.js')], { cwd: tsDir, encoding: 'utf-8' });
    expect(r.status).toBe(0);
    runPython(path.join(pyDir, 'main.py'), [], pyDir);
    // THEN
    const objects = docs(path.join(tsDir, 'dist', 'shop.k8s.yaml'));
    expect(objects.map(o => (o as { kind: string }).kind)).toEqual(['Namespace', 'Deployment', 'Service']);
    expect(docs(path.join(pyDir, 'dist', 'shop.k8s.yaml'))).toEqual(objects);
  });

  test('GIVEN examples/python/requirements.txt THEN it pins every package exactly, the cdk8s ones to the versions package-lock.json holds', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf-8')) as { packages: Record<string, { version: string }> };
    const lines = fs.readFileSync(path.join(appDir, 'requirements.txt'), 'utf-8').split('\n').filter(l => l !== '' && !l.startsWith('#'));
    // An exact pin, for some Pythons only when a marker follows.
    expect(lines.filter(l => !/^[A-Za-z0-9_.-]+==[0-9][A-Za-z0-9.]*(; python_version [<>=]+ "3\.\d+")?$/.test(l))).toEqual([]);
    const pins = Object.fromEntries(lines.map(l => l.split(';')[0].split('==')));
    const cdk8s = ['cdk8s', 'cdk8s-plus-28', 'constructs'];
    expect(Object.fromEntries(cdk8s.map(p => [p, pins[p]]))).toEqual(Object.fromEntries(cdk8s.map(p => [p, lock.packages[`node_modules/${p}`].version])));
  });
});
