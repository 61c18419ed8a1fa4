import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
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
  test('GIVEN a value object rejected while the App is built THEN a clean report, a failing exit code, and the output as it was', () => {
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
      // WHEN the App cannot even be built: an empty password is refused where it is made
      runMain(() => {
        const app = new App();
        new VotingApp(new Chart(app, 'c'), 'app', { credentials: Credentials.fromPassword({ password: '' }) });
        return app;
      }, 'test');
      // THEN
      expect(process.exitCode).toBe(1);
      expect(stderr.join('')).toBe('synth failed; nothing was written:\n  - [Credentials.fromPassword] CVA103 the database password is empty. Fix: set a non-empty password (see README: "Database credentials")\n');
      expect(fs.readdirSync(outdir)).toEqual(['previous.k8s.yaml']);
    } finally {
      spy.mockRestore();
      process.exitCode = 0;
      process.env.CDK8S_OUTDIR = saved;
    }
  });
});
