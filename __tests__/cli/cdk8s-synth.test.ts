// Process-level: cdk8s-cli and `npm run synth` run as child processes in a copy of the
// repository, as users run them. __tests__/app/run.test.ts checks the same behaviour in-process.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { filesUnder } from '../support/files';
import { tempDir } from '../support/tmp';

const root = path.resolve(__dirname, '..', '..');

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
    committed = filesUnder(path.join(work, 'dist'));
  });

  test('GIVEN cdk8s synth THEN it writes the same dist/ as npm run synth, and lists it', () => {
    const r = run(process.execPath, [cli, 'synth']);
    expect(r.status).toBe(0);
    expect(filesUnder(path.join(work, 'dist'))).toEqual(committed);
    expect(r.stdout).toContain(path.join('build', 'cdk8s-cli', 'voting-app.k8s.yaml'));
    expect(filesUnder(path.join(work, 'build', 'cdk8s-cli'))).toEqual(committed);
  });

  test('GIVEN cdk8s synth --stdout THEN it prints the manifests and leaves dist/ as it was', () => {
    const r = run(process.execPath, [cli, 'synth', '--stdout']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('name: voting-app-db');
    // Every object apart: the CLI joins the files as they are, so a file's first object must not run into the last one before it.
    const objects = (texts: string[]) => texts.flatMap(t => loadAll(t)).filter(d => d !== null).map(d => JSON.stringify(d)).sort();
    expect(objects([r.stdout])).toEqual(objects(Object.values(committed)));
    expect(filesUnder(path.join(work, 'dist'))).toEqual(committed);
  });

  test('GIVEN cdk8s synth -o DIR THEN it writes there, and dist/ stays as it was', () => {
    const r = run(process.execPath, [cli, 'synth', '-o', 'out']);
    expect(r.status).toBe(0);
    expect(filesUnder(path.join(work, 'out'))).toEqual(committed);
    expect(filesUnder(path.join(work, 'dist'))).toEqual(committed);
  });

  test.each([
    ['cdk8s synth', () => [process.execPath, [cli, 'synth']] as const],
    ['npm run synth', () => [process.execPath, [path.join(work, 'scripts', 'synth.js')]] as const],
  ])('GIVEN %s that fails (too many tenants) THEN dist/ is exactly as it was', (_name, command) => {
    const [cmd, args] = command();
    // Just over what the node port range holds: 5000, the most the setting takes, fails the
    // same way but takes three times as long.
    const r = run(cmd, [...args], { VOTING_APP_TENANTS: '1400' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('synth failed');
    expect(r.stderr).toContain('[fleet] CVA204 needs 2800 node ports but only');
    expect(filesUnder(path.join(work, 'dist'))).toEqual(committed);
  });
});
