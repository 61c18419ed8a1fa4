import { dump, DumpOptions } from 'js-yaml';

const OPTIONS: DumpOptions = { lineWidth: -1, noRefs: true, quotingType: '"' };

/**
 * Turns one manifest into YAML text, byte for byte what js-yaml's `dump`
 * writes with block style, no line folding, no anchors and double quotes.
 *
 * Why not call `dump` directly: it decides the style of every scalar from
 * scratch (is "8080" a number? is "yes" a boolean?), and that is most of its
 * time. A fleet repeats the same few thousand strings millions of times, so
 * this walks the structure itself and asks js-yaml once per distinct scalar.
 * Anything the walk does not know (multi-line strings, Dates, class instances,
 * keys long enough to need `? `) goes to `dump` whole, so the text never
 * depends on which path wrote it; a test compares both on every manifest.
 */
export function toYaml(manifest: unknown): string {
  if (isPlainObject(manifest)) {
    const body = mapping(manifest, 0, true);
    if (body !== undefined) {
      return `${body}\n`;
    }
  }
  return dump(manifest, OPTIONS);
}

// js-yaml's rendering of each distinct scalar, without the trailing newline.
// Bounded, so a long-lived process does not keep every string it ever wrote.
const CACHE_LIMIT = 200_000;
const strings = new Map<string, string | undefined>();
const numbers = new Map<number, string>();

/** A scalar as js-yaml writes it on one line, or undefined when it needs more. */
function stringScalar(s: string): string | undefined {
  let out = strings.get(s);
  if (out === undefined && !strings.has(s)) {
    const text = dump(s, OPTIONS).slice(0, -1);
    // Multi-line block scalars depend on the indentation level; keys over 1024
    // characters become explicit `? ` pairs. Both are left to js-yaml.
    out = text.includes('\n') || text.length > 1024 ? undefined : text;
    if (strings.size >= CACHE_LIMIT) {
      strings.clear();
    }
    strings.set(s, out);
  }
  return out;
}

function numberScalar(n: number): string {
  if (Object.is(n, -0)) {
    return dump(n, OPTIONS).slice(0, -1); // a Map would confuse -0 with 0
  }
  let out = numbers.get(n);
  if (out === undefined) {
    out = dump(n, OPTIONS).slice(0, -1);
    if (numbers.size >= CACHE_LIMIT) {
      numbers.clear();
    }
    numbers.set(n, out);
  }
  return out;
}

// "\n" and the indentation of each level, built once.
const newlines: string[] = ['\n'];
function newline(level: number): string {
  while (newlines.length <= level) {
    newlines.push(`${newlines[newlines.length - 1]}  `);
  }
  return newlines[level];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') {
    return false;
  }
  const proto = Object.getPrototypeOf(v);
  // js-yaml goes by the toString tag, which Symbol.toStringTag can change.
  return (proto === Object.prototype || proto === null) && Object.prototype.toString.call(v) === '[object Object]';
}

/**
 * A value in block context at `level`, as js-yaml's `writeNode` renders it;
 * `compact` puts the first entry of a collection on the current line (the
 * items of a sequence). Undefined means: not handled here.
 */
function node(value: unknown, level: number, compact: boolean): string | undefined {
  switch (typeof value) {
    case 'string':
      return stringScalar(value);
    case 'number':
      return numberScalar(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) {
        return 'null';
      }
      if (Array.isArray(value)) {
        return value.length === 0 ? '[]' : sequence(value, level, compact);
      }
      if (isPlainObject(value)) {
        return mapping(value, level, compact); // '{}' when empty
      }
      return undefined;
    default:
      return undefined;
  }
}

// `key: ` and `key:` (before a nested block) of each distinct key, as js-yaml writes them.
const keyPrefixes = new Map<string, readonly [string, string] | undefined>();
function keyPrefix(key: string): readonly [string, string] | undefined {
  let out = keyPrefixes.get(key);
  if (out === undefined && !keyPrefixes.has(key)) {
    const k = stringScalar(key);
    out = k === undefined ? undefined : [`${k}: `, `${k}:`];
    if (keyPrefixes.size >= CACHE_LIMIT) {
      keyPrefixes.clear();
    }
    keyPrefixes.set(key, out);
  }
  return out;
}

function mapping(obj: Record<string, unknown>, level: number, compact: boolean): string | undefined {
  let out = '';
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value === undefined) {
      continue; // js-yaml skips the pair
    }
    const k = keyPrefix(key);
    const v = node(value, level + 1, false);
    if (k === undefined || v === undefined) {
      return undefined;
    }
    const pair = (v.charCodeAt(0) === 10 ? k[1] : k[0]) + v;
    out = compact && out === '' ? pair : out + newline(level) + pair;
  }
  return out === '' ? '{}' : out;
}

function sequence(items: unknown[], level: number, compact: boolean): string | undefined {
  let out = '';
  for (const item of items) {
    const v = node(item === undefined ? null : item, level + 1, true); // js-yaml writes holes as null
    if (v === undefined) {
      return undefined;
    }
    const entry = `- ${v}`;
    out += compact && out === '' ? entry : newline(level) + entry;
  }
  return out;
}
