/**
 * The Graphviz (DOT) text of a diagram. Graphviz's `dot` engine does the
 * layout; this only says what each node and edge looks like. The output is a
 * pure function of the graph (everything is sorted), so the picture is
 * byte-identical from one run to the next.
 */
import { EdgeKind, Graph, GraphEdge, GraphNode, NodeKind, Status } from './model';

const FONT = 'Helvetica'; // Graphviz measures text with Helvetica metrics; the PNG draws it with Arimo, metric-compatible.
const RED = '#c62828';
const ORANGE = '#e65100';
const MAX_PROBLEM_LINES = 12;

interface Look {
  readonly shape: string;
  readonly fill: string;
  readonly color: string;
  readonly style?: string;
}

const NODE_LOOK: Record<NodeKind, Look> = {
  users: { shape: 'ellipse', fill: '#fff8e1', color: '#8d6e63' },
  entry: { shape: 'cds', fill: '#fff3e0', color: '#ef6c00' },
  ingress: { shape: 'cds', fill: '#fff3e0', color: '#ef6c00' },
  service: { shape: 'box', fill: '#e3f2fd', color: '#1565c0', style: 'rounded,filled' },
  workload: { shape: 'box3d', fill: '#e8f5e9', color: '#2e7d32' },
  secret: { shape: 'note', fill: '#f3e5f5', color: '#6a1b9a' },
  external: { shape: 'box', fill: '#eeeeee', color: '#616161', style: 'dashed,filled' },
};

const EDGE_LOOK: Record<EdgeKind, { color: string; style: string; penwidth: number; legend: string }> = {
  reaches: { color: '#ef6c00', style: 'solid', penwidth: 2, legend: 'traffic from outside' },
  routes: { color: '#1565c0', style: 'solid', penwidth: 2, legend: 'Service sends to the pods its selector matches' },
  allows: { color: '#2e7d32', style: 'dashed', penwidth: 1.5, legend: 'may connect (NetworkPolicy)' },
  // Distinct from a green arrow: synth lets such a connection pass, but the manifests cannot show it works.
  'in-doubt': { color: '#f9a825', style: 'dashed', penwidth: 1, legend: 'may connect, in doubt (NetworkPolicy rests on facts not in the manifests)' },
  reads: { color: '#6a1b9a', style: 'dotted', penwidth: 2, legend: 'reads Secret' },
  'points-to': { color: '#616161', style: 'bold', penwidth: 1.5, legend: 'DNS alias to outside' },
};

const statusColor = (s: Status, normal: string): string => (s === 'error' ? RED : s === 'warning' ? ORANGE : normal);

/** Text for an HTML-like Graphviz label. Non-ASCII is avoided in our own text: Graphviz cannot measure it without fonts. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function quote(id: string): string {
  return `"${id.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (k === 'label' && typeof v === 'string' && v.startsWith('<') ? `${k}=${v}` : `${k}=${typeof v === 'number' ? v : quote(String(v))}`))
    .join(' ');
}

function nodeLabel(n: GraphNode): string {
  const lines = [`<b>${escapeHtml(n.title)}</b>`, ...n.details.map(d => `<font point-size="11">${escapeHtml(d)}</font>`)];
  for (const p of n.problems) {
    const color = statusColor(p.severity, '#000000');
    lines.push(`<font color="${color}" point-size="11"><b>${p.severity.toUpperCase()}: ${escapeHtml(p.text)}</b></font>`);
  }
  return `<${lines.join('<br/>')}>`;
}

function nodeLine(n: GraphNode): string {
  const look = NODE_LOOK[n.kind];
  const bad = n.status !== 'ok';
  return `  ${quote(n.id)} [${attrs({
    label: nodeLabel(n),
    shape: look.shape,
    style: look.style ?? 'filled',
    fillcolor: n.status === 'error' ? '#ffebee' : n.status === 'warning' ? '#fff3e0' : look.fill,
    color: statusColor(n.status, look.color),
    penwidth: bad ? 3 : 1.5,
  })}];`;
}

function edgeLine(e: GraphEdge): string {
  const look = EDGE_LOOK[e.kind];
  const color = statusColor(e.status, look.color);
  const label = e.label ? `<${e.label.split('\n').map(escapeHtml).join('<br/>')}>` : undefined;
  return `  ${quote(e.from)} -> ${quote(e.to)} [${attrs({
    label,
    color,
    fontcolor: color,
    style: look.style,
    penwidth: e.status === 'ok' ? look.penwidth : 3,
  })}];`;
}

function legend(graph: Graph): string[] {
  const used = new Set(graph.edges.map(e => e.kind));
  const kinds = (Object.keys(EDGE_LOOK) as EdgeKind[]).filter(k => used.has(k));
  if (kinds.length === 0) return [];
  const rows = kinds.map(k => {
    const l = EDGE_LOOK[k];
    return `<font color="${l.color}">${escapeHtml(`${l.style} arrow: ${l.legend}`)}</font>`;
  });
  rows.push(`<font color="${RED}">red: error (e.g. a selector that matches no pod)</font>`);
  rows.push(`<font color="${ORANGE}">orange box: warning</font>`);
  const label = `<<b>Legend</b><br align="left"/>${rows.join('<br align="left"/>')}<br align="left"/>>`;
  return [
    `  "legend" [${attrs({ label, shape: 'box', style: 'rounded', color: '#bdbdbd', fontsize: 11 })}];`,
  ];
}

function problemsNode(graph: Graph): string[] {
  if (graph.problems.length === 0) return [];
  const errors = graph.problems.filter(p => p.startsWith('error:')).length;
  const warnings = graph.problems.length - errors;
  const color = errors > 0 ? RED : ORANGE;
  const shown = graph.problems.slice(0, MAX_PROBLEM_LINES);
  const more = graph.problems.length - shown.length;
  const lines = [
    `<b>${errors} error(s), ${warnings} warning(s) in these manifests</b>`,
    ...shown.map(p => `<font color="${p.startsWith('error:') ? RED : ORANGE}">${escapeHtml(p)}</font>`),
  ];
  if (more > 0) lines.push(`... and ${more} more (see the output of npm run diagram)`);
  return [
    `  "problems" [${attrs({ label: `<${lines.join('<br align="left"/>')}<br align="left"/>>`, shape: 'note', style: 'filled', fillcolor: errors > 0 ? '#ffebee' : '#fff3e0', color, fontcolor: color, penwidth: 2 })}];`,
    // Stacked above the legend, so that the two do not widen the picture side by side.
    ...(graph.edges.length > 0 ? ['  "problems" -> "legend" [style=invis];'] : []),
  ];
}

/** DOT text for one diagram. `source` is shown in the title, e.g. `dist/voting-app.k8s.yaml`. */
export function toDot(graph: Graph, source: string): string {
  const out: string[] = [];
  out.push(`digraph ${quote(graph.name)} {`);
  out.push(
    `  graph [${attrs({
      label: `<<b>${escapeHtml(graph.name)}</b><br/><font point-size="12">drawn from ${escapeHtml(source)} by npm run diagram</font>>`,
      labelloc: 't', fontsize: 20, fontname: FONT, rankdir: 'TB', nodesep: 0.35, ranksep: 0.6, pad: 0.3, bgcolor: 'white',
    })}];`,
  );
  out.push(`  node [${attrs({ fontname: FONT, fontsize: 13, margin: '0.15,0.08' })}];`);
  out.push(`  edge [${attrs({ fontname: FONT, fontsize: 11, arrowsize: 0.8 })}];`);
  const outside = graph.nodes.filter(n => !n.namespace);
  for (const n of outside) out.push(nodeLine(n));
  for (const ns of graph.namespaces) {
    out.push(`  subgraph ${quote(`cluster_ns_${ns}`)} {`);
    out.push(`    graph [${attrs({ label: `<<b>namespace ${escapeHtml(ns)}</b>>`, style: 'rounded,dashed', color: '#9e9e9e', fontsize: 14 })}];`);
    for (const n of graph.nodes.filter(x => x.namespace === ns)) out.push(`  ${nodeLine(n)}`);
    out.push('  }');
  }
  for (const e of graph.edges) out.push(edgeLine(e));
  out.push(...problemsNode(graph));
  out.push(...legend(graph));
  out.push('}');
  return `${out.join('\n')}\n`;
}
