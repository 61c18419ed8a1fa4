/**
 * Which diagrams a dist/ folder yields, and the DOT text drawn from a graph:
 * one diagram per folder of manifests, a broken copy of the stack read back
 * from files, and the same text on every run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toDot } from '../../tools/diagram/dot';
import { discoverSources, loadManifests } from '../../tools/diagram/load';
import { buildGraph, serviceId } from '../../tools/diagram/model';

const STACK = path.join(__dirname, '..', '..', 'dist', 'voting-app.k8s.yaml');

describe('diagram sources: one diagram per dist folder', () => {
  let dist: string;
  beforeEach(() => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-dist-'));
  });
  afterEach(() => fs.rmSync(dist, { recursive: true, force: true }));

  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dist, rel)), { recursive: true });
    fs.writeFileSync(path.join(dist, rel), text);
  };

  test('top-level files form one diagram named after the file; each subfolder forms its own', () => {
    write('voting-app.k8s.yaml', 'kind: Namespace\nmetadata: {name: a}\n');
    write('production/voting-app.k8s.yaml', 'kind: Namespace\nmetadata: {name: b}\n');
    write('examples/b.k8s.yaml', '');
    write('examples/a.k8s.yaml', '');
    write('fleets/eu/fleet.k8s.yaml', '');
    write('production/construct-metadata.json', '{}');
    const sources = discoverSources(dist);
    expect(sources.map(s => s.name)).toEqual(['voting-app', 'examples', 'fleets-eu', 'production']);
    expect(sources[1].files.map(f => path.basename(f))).toEqual(['a.k8s.yaml', 'b.k8s.yaml']);
    expect(sources[3].files.map(f => path.basename(f))).toEqual(['voting-app.k8s.yaml']);
  });

  test('a stack\'s applyset/ folder holds its ApplySet parent, not a stack: no diagram', () => {
    write('fleet/fleet.k8s.yaml', 'kind: Namespace\nmetadata: {name: a}\n');
    write('fleet/applyset/fleet.k8s.yaml', 'apiVersion: cdk8s-voting-app.io/v1\nkind: ApplySet\nmetadata: {name: fleet}\n');
    expect(discoverSources(dist).map(s => s.name)).toEqual(['fleet']);
  });

  test('several top-level files are named after the folder; a clash of names is refused', () => {
    write('a.k8s.yaml', '');
    write('b.k8s.yaml', '');
    expect(discoverSources(dist)[0].name).toBe(path.basename(dist));
    write(`${path.basename(dist)}/c.k8s.yaml`, '');
    expect(() => discoverSources(dist)).toThrow(/two diagrams would be named/);
  });

  test('a broken copy of the stack, read back from files, draws the Service as an error', () => {
    const text = fs.readFileSync(STACK, 'utf8');
    // The vote Service's selector is the only `name: vote` followed by `type: NodePort`.
    const broken = text.replace(/(app\.kubernetes\.io\/name: )vote(\n {2}type: NodePort)/, '$1vote-typo$2');
    expect(broken).not.toBe(text);
    write('voting-app.k8s.yaml', broken);
    const [source] = discoverSources(dist);
    const graph = buildGraph(source.name, loadManifests(source.files));
    expect(graph.nodes.find(n => n.id === serviceId('voting-app', 'vote'))?.status).toBe('error');
    const dot = toDot(graph, 'dist/voting-app.k8s.yaml');
    expect(dot).toMatch(/"service:voting-app\/vote" \[label=<[^\n]*ERROR: selector matches no pod[^\n]* fillcolor="#ffebee" color="#c62828"/);
  });

  test('a YAML syntax error names the file', () => {
    write('bad.k8s.yaml', 'kind: [\n');
    expect(() => loadManifests([path.join(dist, 'bad.k8s.yaml')])).toThrow(/bad\.k8s\.yaml/);
  });
});

describe('diagram DOT text', () => {
  test('is the same on every run, whatever the order of the documents', () => {
    const manifests = loadManifests([STACK]);
    const a = toDot(buildGraph('voting-app', manifests), 'dist/voting-app.k8s.yaml');
    const b = toDot(buildGraph('voting-app', [...manifests].reverse()), 'dist/voting-app.k8s.yaml');
    expect(b).toBe(a);
    expect(a).not.toMatch(/[^\x20-\x7e\n]/); // ASCII only: Graphviz measures text without fonts
  });
});
