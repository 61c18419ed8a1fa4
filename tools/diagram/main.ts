/**
 * `npm run diagram`: one topology diagram (SVG and PNG) per folder of
 * manifests under dist/, written to docs/diagrams/<name>.svg and .png.
 *
 *   node build/diagram.js [--dist dist] [--out docs/diagrams] [--dot]
 *
 * docs/diagrams/ is owned by this tool: SVG and PNG files there that no
 * folder of dist/ produces any more are removed, so a drift check catches them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { toDot } from './dot';
import { discoverSources, loadManifests } from './load';
import { buildGraph } from './model';
import { dotToSvg, svgToPng } from './render';

interface Options {
  readonly dist: string;
  readonly out: string;
  /** Also write the Graphviz source (<name>.dot), for debugging the layout. */
  readonly dot: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts = { dist: 'dist', out: path.join('docs', 'diagrams'), dot: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === '--dist' || arg === '--out') && value) {
      opts[arg === '--dist' ? 'dist' : 'out'] = value;
      i++;
    } else if (arg === '--dot') {
      opts.dot = true;
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: npm run diagram -- [--dist dist] [--out docs/diagrams] [--dot]\n');
      process.exit(0);
    } else {
      throw new Error(`unknown argument: ${arg} (try --help)`);
    }
  }
  return opts;
}

/** Forward slashes in the picture, whatever the platform, so the bytes do not depend on it. */
const posix = (p: string): string => p.split(path.sep).join('/');

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const sources = discoverSources(opts.dist);
  if (sources.length === 0) throw new Error(`no *.yaml manifests under ${opts.dist}: run \`npm run synth\` first`);
  fs.mkdirSync(opts.out, { recursive: true });
  const written = new Set<string>();
  let problems = 0;
  for (const source of sources) {
    const graph = buildGraph(source.name, loadManifests(source.files));
    const shownSource = source.files.length === 1 ? posix(source.files[0]) : `${posix(source.dir)}/ (${source.files.length} files)`;
    const dot = toDot(graph, shownSource);
    if (opts.dot) fs.writeFileSync(path.join(opts.out, `${source.name}.dot`), dot);
    const svg = await dotToSvg(dot);
    const png = await svgToPng(svg);
    for (const [ext, data] of [['svg', svg], ['png', png]] as const) {
      const file = path.join(opts.out, `${source.name}.${ext}`);
      fs.writeFileSync(file, data);
      written.add(path.resolve(file));
    }
    process.stdout.write(`${posix(path.join(opts.out, source.name))}.{svg,png}: ${graph.nodes.length} nodes, ${graph.edges.length} edges, ${graph.problems.length} problem(s)\n`);
    for (const p of graph.problems) process.stdout.write(`  problem: ${p}\n`);
    problems += graph.problems.length;
  }
  for (const f of fs.readdirSync(opts.out).sort()) {
    const file = path.resolve(opts.out, f);
    if (/\.(svg|png)$/.test(f) && !written.has(file)) {
      fs.rmSync(file);
      process.stdout.write(`removed stale ${posix(path.join(opts.out, f))}\n`);
    }
  }
  // Problems are drawn, not fatal: the diagram is how people see them.
  if (problems > 0) process.stdout.write(`${problems} problem(s) drawn in red/orange in the diagrams above\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`diagram: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
