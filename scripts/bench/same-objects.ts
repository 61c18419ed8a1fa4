// Whether two renderings of a stack write the same Kubernetes objects: the bench's check that
// a baseline (helm template over scripts/bench/helm-chart/) renders what our fleet renders, so
// that the times compare like with like.
//
// Same means: equal after parsing, as multisets of documents (document order and key order
// ignored, list order kept: it is meaningful in Kubernetes), and type-strict (80 is not "80").
// A difference is told as the object (kind namespace/name) and the first path at which the two
// differ, with both values, so that whoever keeps the chart in step sees what to change.
import { CORE_SCHEMA, loadAll } from 'js-yaml';

/** One rendering: the documents and the name its differences are told under. */
export interface Rendering {
  /** How the messages name this rendering, e.g. `ours` or `helm`. */
  readonly name: string;
  /** Its documents, parsed; see {@link parseManifests}. */
  readonly documents: unknown[];
}

/** Where two documents first differ, and the value each has there (undefined: absent). */
export interface FirstDifference {
  /** The path, e.g. `spec.ports[0].nodePort` or `metadata.labels["app.kubernetes.io/name"]`; empty for the whole document. */
  readonly path: string;
  readonly left: unknown;
  readonly right: unknown;
}

/**
 * The documents of a YAML stream, empty ones (a leading comment, a trailing `---`) left out.
 * Plain scalars are read with the YAML 1.2 core schema: strings, numbers, booleans and null
 * only, so every value compares as its JSON type; no timestamps or other types.
 */
export function parseManifests(text: string): unknown[] {
  return loadAll(text, undefined, { schema: CORE_SCHEMA }).filter(d => d !== null && d !== undefined);
}

/**
 * Undefined when both renderings hold the same documents, as a multiset; otherwise a message
 * naming the differing objects, at most `shown` of them, each with its first differing path.
 */
export function compareRenderings(left: Rendering, right: Rendering, shown = 5): string | undefined {
  // Each document's canonical form (keys sorted), counted: equal forms are equal documents.
  const unmatched = new Map<string, number>();
  const leftForms = left.documents.map(canonical);
  for (const form of leftForms) {
    unmatched.set(form, (unmatched.get(form) ?? 0) + 1);
  }
  const rightOnly: unknown[] = [];
  for (const doc of right.documents) {
    const form = canonical(doc);
    const count = unmatched.get(form) ?? 0;
    if (count > 0) {
      unmatched.set(form, count - 1);
    } else {
      rightOnly.push(doc);
    }
  }
  const leftOnly: unknown[] = [];
  left.documents.forEach((doc, i) => {
    const count = unmatched.get(leftForms[i]) ?? 0;
    if (count > 0) {
      unmatched.set(leftForms[i], count - 1);
      leftOnly.push(doc);
    }
  });
  if (leftOnly.length === 0 && rightOnly.length === 0) {
    return undefined;
  }

  // Documents left over on both sides with the same identity are one object rendered two ways.
  const rightByIdentity = new Map<string, unknown[]>();
  for (const doc of rightOnly) {
    const id = identity(doc);
    rightByIdentity.set(id, [...(rightByIdentity.get(id) ?? []), doc]);
  }
  const lines: string[] = [];
  for (const doc of leftOnly) {
    const id = identity(doc);
    const counterpart = rightByIdentity.get(id)?.shift();
    if (counterpart === undefined) {
      lines.push(`${id}: only ${left.name} writes it`);
    } else {
      const d = firstDifference(doc, counterpart)!;
      lines.push(`${id} at ${d.path || '(the whole document)'}: ${left.name} ${show(d.left)}, ${right.name} ${show(d.right)}`);
    }
  }
  for (const [id, docs] of rightByIdentity) {
    for (let i = 0; i < docs.length; i++) {
      lines.push(`${id}: only ${right.name} writes it`);
    }
  }
  const total = `${left.name} ${left.documents.length} documents, ${right.name} ${right.documents.length}`;
  const more = lines.length > shown ? `, the first ${shown} shown` : '';
  return [
    `${left.name} and ${right.name} write different objects (${total}; ${lines.length} differ${more}):`,
    ...lines.slice(0, shown).map(l => `  ${l}`),
  ].join('\n');
}

/**
 * The first path, in sorted key order, at which `left` and `right` differ; undefined when they
 * are equal. Types are strict: 80 and "80" differ, as do null and an absent key.
 */
export function firstDifference(left: unknown, right: unknown, path = ''): FirstDifference | undefined {
  if (Array.isArray(left) && Array.isArray(right)) {
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      const d = i < left.length && i < right.length
        ? firstDifference(left[i], right[i], `${path}[${i}]`)
        : { path: `${path}[${i}]`, left: left[i], right: right[i] };
      if (d !== undefined) {
        return d;
      }
    }
    return undefined;
  }
  if (isMapping(left) && isMapping(right)) {
    for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
      const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}${path ? '.' : ''}${key}` : `${path}[${JSON.stringify(key)}]`;
      const d = !(key in left) || !(key in right)
        ? { path: at, left: left[key], right: right[key] }
        : firstDifference(left[key], right[key], at);
      if (d !== undefined) {
        return d;
      }
    }
    return undefined;
  }
  return left === right || Object.is(left, right) ? undefined : { path, left, right };
}

function isMapping(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** JSON with every mapping's keys sorted: equal for documents that differ only in key order. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) {
    return `[${x.map(canonical).join(',')}]`;
  }
  if (isMapping(x)) {
    return `{${Object.keys(x).sort().map(k => `${JSON.stringify(k)}:${canonical(x[k])}`).join(',')}}`;
  }
  return JSON.stringify(x) ?? 'undefined';
}

/** `Kind namespace/name`, as kubectl names an object. */
function identity(doc: unknown): string {
  if (!isMapping(doc)) {
    return `a document that is not an object (${show(doc)})`;
  }
  const meta = isMapping(doc.metadata) ? doc.metadata : {};
  const where = typeof meta.namespace === 'string' ? `${meta.namespace}/` : '';
  return `${String(doc.kind ?? '(no kind)')} ${where}${String(meta.name ?? '(no name)')}`;
}

/** A value as JSON, so that a string shows its quotes; shortened when long. */
function show(x: unknown): string {
  if (x === undefined) {
    return '(absent)';
  }
  const s = JSON.stringify(x);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
