import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8'));
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });

// A user's own cdk8s app, written against the published API only.
const CONSUMER = `
import { App, Chart } from 'cdk8s';
import { ContainerPort, Credentials, Exposure, Microservice } from 'cdk8s-voting-app/core';
import { Synthesizer } from 'cdk8s-voting-app/synth';
import { VotingApp } from 'cdk8s-voting-app/voting-app';
import * as all from 'cdk8s-voting-app';

if (all.Microservice !== Microservice || all.VotingApp !== VotingApp) {
  throw new Error('the root does not re-export the layers');
}

const app = new App();
const chart = new Chart(app, 'mine', { namespace: 'team-a' });
const http = ContainerPort.tcp('http', 5678);
new Microservice(chart, 'api', { image: 'hashicorp/http-echo:1.0', ports: [http], service: { ports: [{ port: 80, target: http }] } });
new VotingApp(chart, 'votes', {
  credentials: Credentials.fromSecretName('team-a-db'),
  voteExposure: Exposure.clusterIp(80),
  resultExposure: Exposure.clusterIp(81),
});
Synthesizer.synthesize(app, { outdir: 'out' });
`;

describe('the npm package', () => {
  let work: string;
  let tarball: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-voting-app-pack-'));
    // GIVEN the packed tarball (prepack compiles lib/ and imports/)
    const out = run('npm', ['pack', '--json', '--pack-destination', work], root);
    const jsonStart = out.indexOf('[');
    tarball = path.join(work, JSON.parse(out.slice(jsonStart))[0].filename);
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('holds compiled JS, .d.ts and the jsii assembly, and no sources, tests or manifests', () => {
    const files = run('tar', ['-tzf', tarball], work).trim().split('\n');
    expect(files).toContain('package/build/lib/index.js');
    expect(files).toContain('package/build/lib/index.d.ts');
    expect(files).toContain('package/build/imports/k8s.d.ts');
    // The language packages load the library from this tarball: it needs the assembly and its bundled dependency.
    expect(files).toContain('package/.jsii');
    expect(files).toContain('package/node_modules/js-yaml/package.json');
    const own = files.filter(f => !f.startsWith('package/node_modules/'));
    expect(own.filter(f => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(own.filter(f => /__tests__|\/dist\/|main\.js/.test(f))).toEqual([]);
  });

  test('declares cdk8s, cdk8s-plus-28 and constructs as peer dependencies', () => {
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-28', 'constructs']);
    // The only runtime dependency is the YAML serializer, bundled as jsii requires of a non-jsii one.
    expect(Object.keys(pkg.dependencies)).toEqual(['js-yaml']);
    expect(pkg.bundledDependencies).toEqual(['js-yaml']);
  });

  test('a separate TypeScript cdk8s app builds and synthesizes against it', () => {
    // GIVEN a fresh app folder that installs the tarball and the peers
    const app = path.join(work, 'consumer');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const peers = Object.keys(pkg.peerDependencies).map(p => `${p}@${pkg.devDependencies[p].replace(/^\^/, '')}`);
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, ...peers], app);
    fs.writeFileSync(path.join(app, 'main.ts'), CONSUMER);
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false, outDir: 'js', types: [] },
      files: ['main.ts'],
    }));
    // WHEN it is type-checked against the shipped .d.ts and run
    run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], app);
    run(process.execPath, ['js/main.js'], app);
    // THEN it wrote the user's chart
    const docs = parseAllDocuments(fs.readFileSync(path.join(app, 'out', 'mine.k8s.yaml'), 'utf-8')).map(d => d.toJSON());
    const services = docs.filter(d => d.kind === 'Service').map(d => `${d.metadata.namespace}/${d.metadata.name}:${d.spec.type}`).sort();
    expect(services).toEqual(['team-a/api:ClusterIP', 'team-a/db:ClusterIP', 'team-a/redis:ClusterIP', 'team-a/result:ClusterIP', 'team-a/vote:ClusterIP']);
    expect(docs.filter(d => d.kind === 'Secret')).toEqual([]);
  });
});
