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

// Bounded, so a long-lived process does not keep every string it ever wrote.
const CACHE_LIMIT = 200_000;

/**
 * `compute(key)`, worked out once per distinct key (undefined results included).
 * Pass a module-level function: a closure would be allocated on every hit.
 */
function cached<K, V>(cache: Map<K, V>, key: K, compute: (key: K) => V): V {
  const hit = cache.get(key);
  if (hit !== undefined || cache.has(key)) {
    return hit as V;
  }
  const value = compute(key);
  if (cache.size >= CACHE_LIMIT) {
    cache.clear();
  }
  cache.set(key, value);
  return value;
}

// js-yaml's rendering of each distinct scalar, without the trailing newline.
const strings = new Map<string, string | undefined>();
const numbers = new Map<number, string>();

/** A scalar as js-yaml writes it on one line, or undefined when it needs more. */
function stringScalar(s: string): string | undefined {
  return cached(strings, s, renderString);
}

function renderString(s: string): string | undefined {
  const text = dump(s, OPTIONS).slice(0, -1);
  // Multi-line block scalars depend on the indentation level; keys over 1024
  // characters become explicit `? ` pairs. Both are left to js-yaml.
  return text.includes('\n') || text.length > 1024 ? undefined : text;
}

function renderNumber(n: number): string {
  return dump(n, OPTIONS).slice(0, -1);
}

function numberScalar(n: number): string {
  if (Object.is(n, -0)) {
    return renderNumber(n); // a Map would confuse -0 with 0
  }
  return cached(numbers, n, renderNumber);
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
  return cached(keyPrefixes, key, renderKeyPrefix);
}

function renderKeyPrefix(key: string): readonly [string, string] | undefined {
  const k = stringScalar(key);
  return k === undefined ? undefined : [`${k}: `, `${k}:`];
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
