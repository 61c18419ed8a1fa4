import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { loadAll } from 'js-yaml';
import { outputFolders, runMain } from '../../app/run';
import { Credentials, VotingApp } from '../../lib';
import { tempDir } from '../support/tmp';

const root = path.resolve(__dirname, '..', '..');

describe('where the repository\'s synth writes', () => {
  test('GIVEN no CDK8S_OUTDIR THEN dist/', () => {
    expect(outputFolders({})).toEqual({ outdir: path.join(root, 'dist') });
  });

  test('GIVEN the scratch folder cdk8s.yaml names THEN dist/, copied there afterwards for cdk8s-cli', () => {
    expect(outputFolders({ CDK8S_OUTDIR: path.join(root, 'build', 'cdk8s-cli') })).toEqual({
      outdir: path.join(root, 'dist'), mirror: path.join(root, 'build', 'cdk8s-cli'),
    });
  });

  test('GIVEN any other folder (cdk8s synth -o DIR, --stdout) THEN that folder', () => {
    expect(outputFolders({ CDK8S_OUTDIR: '/tmp/elsewhere' })).toEqual({ outdir: '/tmp/elsewhere' });
  });
});

describe('runMain', () => {
  test('GIVEN a bad value object in the App THEN a clean report, a failing exit code, and the output as it was', () => {
    const outdir = tempDir('cdk8s-run-');
    fs.writeFileSync(path.join(outdir, 'previous.k8s.yaml'), 'kind: Previous\n');
    const stderr: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const saved = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      // WHEN the App has a mistake in a value object: an empty password, reported by the construct that uses it
      runMain(() => {
        const app = new App();
        new VotingApp(new Chart(app, 'c'), 'app', { credentials: Credentials.fromPassword({ password: '' }) });
        return app;
      }, 'test');
      // THEN
      expect(process.exitCode).toBe(1);
      expect(stderr.join('')).toBe('synth failed with 1 problem; nothing was written:\n  - [c/app] CVA103 the database password of Credentials.fromPassword is empty. Fix: set a non-empty password (see README: "Database credentials")\n');
      expect(fs.readdirSync(outdir)).toEqual(['previous.k8s.yaml']);
    } finally {
      spy.mockRestore();
      process.exitCode = 0;
      process.env.CDK8S_OUTDIR = saved;
    }
  });
});

/** Every file under `dir`, relative, with its content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else {
        out[path.relative(dir, p)] = fs.readFileSync(p, 'utf-8');
      }
    }
  };
  walk(dir);
  return out;
}

describe('cdk8s synth, as cdk8s users run it', () => {
  // A copy of the repository's app, so that the committed dist/ is never touched by this test.
  let work: string;
  let committed: Record<string, string>;
  const cli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
  const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(cmd, args, { cwd: work, encoding: 'utf-8', env: { ...process.env, HOME: path.join(work, 'home'), CDK8S_OUTDIR: '', ...env } });

  beforeAll(() => {
    work = tempDir('cdk8s-cli-');
    // The CLI asks registry.npmjs.org for a newer version unless it asked less than 30 minutes ago.
    fs.mkdirSync(path.join(work, 'home'));
    const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'cdk8s-cli', 'package.json'), 'utf-8')).version;
    fs.writeFileSync(path.join(work, 'home', '.cdk8s-cli.version'), version);
    for (const p of ['main.ts', 'cdk8s.yaml', 'package.json', 'package-lock.json', 'app', 'lib', 'examples', 'imports', 'scripts', 'dist']) {
      fs.cpSync(path.join(root, p), path.join(work, p), { recursive: true });
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'));
    committed = snapshot(path.join(work, 'dist'));
  });

  test('GIVEN cdk8s synth THEN it writes the same dist/ as npm run synth, and lists it', () => {
    const r = run(process.execPath, [cli, 'synth']);
    expect(r.status).toBe(0);
    expect(snapshot(path.join(work, 'dist'))).toEqual(committed);
    expect(r.stdout).toContain(path.join('build', 'cdk8s-cli', 'voting-app.k8s.yaml'));
    expect(snapshot(path.join(work, 'build', 'cdk8s-cli'))).toEqual(committed);
  });

  test('GIVEN cdk8s synth --stdout THEN it prints the manifests and leaves dist/ as it was', () => {
    const r = run(process.execPath, [cli, 'synth', '--stdout']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('name: voting-app-db');
    // Every object apart: the CLI joins the files as they are, so a file's first object must not run into the last one before it.
    const objects = (texts: string[]) => texts.flatMap(t => loadAll(t)).filter(d => d !== null).map(d => JSON.stringify(d)).sort();
    expect(objects([r.stdout])).toEqual(objects(Object.values(committed)));
    expect(snapshot(path.join(work, 'dist'))).toEqual(committed);
  });

  test('GIVEN cdk8s synth -o DIR THEN it writes there, and dist/ stays as it was', () => {
    const r = run(process.execPath, [cli, 'synth', '-o', 'out']);
    expect(r.status).toBe(0);
    expect(snapshot(path.join(work, 'out'))).toEqual(committed);
    expect(snapshot(path.join(work, 'dist'))).toEqual(committed);
  });

  test.each([
    ['cdk8s synth', () => [process.execPath, [cli, 'synth']] as const],
    ['npm run synth', () => [process.execPath, [path.join(work, 'scripts', 'synth.js')]] as const],
  ])('GIVEN %s that fails (too many tenants) THEN dist/ is exactly as it was', (_name, command) => {
    const [cmd, args] = command();
    const r = run(cmd, [...args], { VOTING_APP_TENANTS: '5000' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('synth failed');
    expect(snapshot(path.join(work, 'dist'))).toEqual(committed);
  });
});
