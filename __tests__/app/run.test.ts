import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { loadAll } from 'js-yaml';
import { outputFolders, runMain } from '../../app/run';
import { Credentials, NodePortRange, VotingApp, VotingAppFleet } from '../../lib';
import { filesUnder } from '../support/files';
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
      expect(stderr.join('')).toBe('synth failed with 1 problem; nothing was written:\n  - [c/app/Db] CVA103 the database password of Credentials.fromPassword is empty. Fix: set a non-empty password (see README: "Database credentials")\n');
      expect(fs.readdirSync(outdir)).toEqual(['previous.k8s.yaml']);
    } finally {
      spy.mockRestore();
      process.exitCode = 0;
      process.env.CDK8S_OUTDIR = saved;
    }
  });
});

/**
 * main.ts's App and header, and the runMain of the same module instances, without running
 * it: main.ts calls runMain when loaded, so a stand-in takes the call.
 */
function loadMainTs(): { build: () => App; header: string; runMain: typeof runMain } {
  let main: { build: () => App; header: string; runMain: typeof runMain } | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../app/run', () => {
      const actual = jest.requireActual<typeof import('../../app/run')>('../../app/run');
      return { ...actual, runMain: (build: () => App, header: string) => { main = { build, header, runMain: actual.runMain }; } };
    });
    jest.requireActual('../../main');
  });
  jest.dontMock('../../app/run');
  if (main === undefined) {
    throw new Error('main.ts did not call runMain');
  }
  return main;
}

/** Runs `run` with these environment variables, and returns the exit code and what went to stderr. */
function withEnv(env: Record<string, string | undefined>, run: () => void): { exitCode: number; stderr: string } {
  const stderr: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  const saved = Object.fromEntries(Object.keys(env).map(k => [k, process.env[k]]));
  const restore = (values: Record<string, string | undefined>) => Object.entries(values).forEach(([k, v]) => {
    if (v === undefined) {
      delete process.env[k];
    } else {
      process.env[k] = v;
    }
  });
  restore(env);
  try {
    run();
    return { exitCode: Number(process.exitCode ?? 0), stderr: stderr.join('') };
  } finally {
    spy.mockRestore();
    process.exitCode = 0;
    restore(saved);
  }
}

// The in-process side of __tests__/cli/cdk8s-synth.test.ts (`npm run test:cli`), which runs
// cdk8s synth and npm run synth as child processes: the same program (main.ts and runMain)
// under the same CDK8S_OUTDIR each command gives it, in a copy of what it reads and writes
// (cdk8s.yaml, dist/), so that the committed dist/ is never written.
describe('main.ts in-process, as npm run synth and cdk8s synth run it', () => {
  const committed = filesUnder(path.join(root, 'dist'));
  let main: ReturnType<typeof loadMainTs>;
  beforeAll(() => {
    main = loadMainTs();
  });

  /** A copy of the repository as far as runMain reads it, with `dist` as its dist/. */
  function repository(dist: Record<string, string>): string {
    const repo = tempDir('cdk8s-main-');
    fs.copyFileSync(path.join(root, 'cdk8s.yaml'), path.join(repo, 'cdk8s.yaml'));
    for (const [file, text] of Object.entries(dist)) {
      fs.mkdirSync(path.dirname(path.join(repo, 'dist', file)), { recursive: true });
      fs.writeFileSync(path.join(repo, 'dist', file), text);
    }
    return repo;
  }
  const stale = { 'stale.k8s.yaml': 'kind: Stale\n' };
  const noSettings = { VOTING_APP_DB_SECRET: undefined, VOTING_APP_DB_USER: undefined, VOTING_APP_DB_PASSWORD: undefined, VOTING_APP_TENANTS: undefined };

  test('GIVEN no CDK8S_OUTDIR (npm run synth) THEN it writes the committed dist/, in place of what was there', () => {
    const repo = repository(stale);
    const r = withEnv({ ...noSettings, CDK8S_OUTDIR: undefined }, () => main.runMain(main.build, main.header, repo));
    expect(r.exitCode).toBe(0);
    expect(filesUnder(path.join(repo, 'dist'))).toEqual(committed);
  });

  test('GIVEN the scratch folder of cdk8s.yaml (cdk8s synth) THEN it writes the committed dist/ and copies it there for the CLI to list', () => {
    const repo = repository(stale);
    const scratch = path.join(repo, 'build', 'cdk8s-cli');
    const r = withEnv({ ...noSettings, CDK8S_OUTDIR: scratch }, () => main.runMain(main.build, main.header, repo));
    expect(r.exitCode).toBe(0);
    expect(filesUnder(path.join(repo, 'dist'))).toEqual(committed);
    expect(filesUnder(scratch)).toEqual(committed);
  });

  test('GIVEN another folder (cdk8s synth -o DIR, --stdout) THEN the committed files go there, dist/ stays as it was, and the files joined as they are keep every object apart', () => {
    const repo = repository(stale);
    const out = path.join(repo, 'out');
    const r = withEnv({ ...noSettings, CDK8S_OUTDIR: out }, () => main.runMain(main.build, main.header, repo));
    expect(r.exitCode).toBe(0);
    const written = filesUnder(out);
    expect(written).toEqual(committed);
    expect(filesUnder(path.join(repo, 'dist'))).toEqual(stale);
    // --stdout prints the files one after the other, as they are.
    const objects = (texts: string[]) => texts.flatMap(t => loadAll(t)).filter(d => d !== null).map(d => JSON.stringify(d)).sort();
    expect(objects([Object.values(written).join('')])).toEqual(objects(Object.values(committed)));
  });

  // Too many tenants for a small node port range: the failure of VOTING_APP_TENANTS=5000, in milliseconds.
  test.each([
    ['npm run synth', (_repo: string) => undefined],
    ['cdk8s synth', (repo: string) => path.join(repo, 'build', 'cdk8s-cli')],
  ])('GIVEN %s of an App that fails validation (too many tenants) THEN a failing exit code, the report, dist/ exactly as it was, nothing copied', (_name, outdir) => {
    const repo = repository(committed);
    const r = withEnv({ CDK8S_OUTDIR: outdir(repo) }, () => runMain(() => {
      const app = new App();
      NodePortRange.configure(app, NodePortRange.of(30000, 30009));
      new VotingAppFleet(app, 'fleet', { tenants: 6, credentials: Credentials.fromPassword({ password: 'p' }) });
      return app;
    }, 'test', repo));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('synth failed with 1 problem; nothing was written:\n  - [fleet] CVA204 needs 12 node ports but only 10 of 30000-30009 are free. Fix: use fewer tenants, expose them with LoadBalancer or ClusterIP (no node port), or split them across clusters\n');
    expect(filesUnder(path.join(repo, 'dist'))).toEqual(committed);
    expect(fs.existsSync(path.join(repo, 'build'))).toBe(false);
  });
});
