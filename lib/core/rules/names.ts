// The names Kubernetes accepts, as apimachinery's validation defines them:
// the one place each rule is written. Core checks props with these, synth and
// the diagram check rendered manifests with them (through lib/core/model),
// so a name one accepts the other cannot refuse. Pure predicates only: how a
// problem is reported stays with the caller. Internal: not in lib/core/index.ts.

/** A DNS-1035 label: what a Service name must be (it starts with a letter). At most 63 characters. */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 label: a namespace name, one part of a host name. At most 63 characters. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: dot-separated labels, e.g. a host name. At most 253 characters. */
export const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `v` is a DNS-1123 subdomain of at most 253 characters. */
export function isDns1123Subdomain(v: string): boolean {
  return DNS_1123_SUBDOMAIN.test(v) && v.length <= 253;
}

/** A dotted IPv4 address: it passes the subdomain shape, so it is told apart by this. */
const DOTTED_IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Whether the API server takes `v` as a Service's `spec.externalName`: a
 * DNS-1123 subdomain, with or without the trailing dot of a fully qualified
 * name (it trims one before it checks).
 */
export function isExternalHostName(v: string): boolean {
  return isDns1123Subdomain(v.endsWith('.') ? v.slice(0, -1) : v);
}

/** Whether `v` is a dotted IPv4 address, which the API server takes as an externalName but cluster DNS answers with a CNAME that resolves nowhere. */
export function isDottedIpv4(v: string): boolean {
  return DOTTED_IPV4.test(v.endsWith('.') ? v.slice(0, -1) : v);
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Whether `k` is a label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function isLabelKey(k: string): boolean {
  const slash = k.indexOf('/');
  const name = slash < 0 ? k : k.slice(slash + 1);
  const prefix = slash < 0 ? undefined : k.slice(0, slash);
  return LABEL_NAME.test(name) && name.length <= 63 && (prefix === undefined || isDns1123Subdomain(prefix));
}

/** Whether `v` is a label value: a string of at most 63 characters (a number in a manifest is refused). */
export function isLabelValue(v: unknown): boolean {
  return typeof v === 'string' && LABEL_VALUE.test(v) && v.length <= 63;
}

/** The rule an object's name is held to, by kind. */
export interface NameRule {
  readonly pattern: RegExp;
  readonly max: number;
  /** Its name in the Kubernetes docs, e.g. `DNS-1123 subdomain`. */
  readonly rule: string;
}

const SERVICE: NameRule = { pattern: DNS_1035_LABEL, max: 63, rule: 'DNS-1035 label' };
const LABEL: NameRule = { pattern: DNS_1123_LABEL, max: 63, rule: 'DNS-1123 label' };
const SUBDOMAIN: NameRule = { pattern: DNS_1123_SUBDOMAIN, max: 253, rule: 'DNS-1123 subdomain' };

/** A Service name becomes a DNS label starting with a letter; a Namespace name is one label; most others are subdomains. */
export function nameRuleOf(kind: string): NameRule {
  return kind === 'Service' ? SERVICE : kind === 'Namespace' ? LABEL : SUBDOMAIN;
}

/** Whether `name` is a valid name for an object of `kind`. */
export function isValidName(kind: string, name: string): boolean {
  const rule = nameRuleOf(kind);
  return rule.pattern.test(name) && name.length <= rule.max;
}

/** Whether `ns` is a namespace name. */
export function isNamespaceName(ns: string): boolean {
  return isValidName('Namespace', ns);
}

/** What Kubernetes 1.28 accepts as an env var name (IsEnvVarName). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Whether `name` is an env var name: letters, digits, "_", "-" and ".", not starting with a digit, not "." or "..". */
export function isEnvVarName(name: string): boolean {
  return ENV_NAME.test(name) && name !== '.' && !name.startsWith('..');
}

/** IANA_SVC_NAME's shape: 1-15 lower-case letters, digits and "-", not at either end. */
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/** Whether `name` is a port name (IANA_SVC_NAME): that shape, with a letter and no "--". */
export function isPortName(name: string): boolean {
  return IANA_SVC_NAME.test(name) && /[a-z]/.test(name) && !name.includes('--');
}

/** A Secret (or ConfigMap) data key's shape. */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Whether `key` is a Secret data key: letters, digits, "-", "_" and ".", at most 253 characters. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && key.length <= 253;
}

/** The namespaces every cluster has: objects may be written to them without creating them. */
export const BUILT_IN_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The number of one-character edits (insert, delete, replace, or swap of two
 * neighbours: the typing mistakes) that turn `a` into `b`.
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        current[j] = Math.min(current[j], before[j - 2] + 1);
      }
    }
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate `name` most likely mistypes: the nearest by {@link editDistance},
 * if it is at most 2 edits and fewer than half its length away; the first of equals.
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const c of candidates) {
    const distance = editDistance(name, c);
    if (c !== name && distance <= 2 && distance * 2 < Math.max(name.length, c.length) && (best === undefined || distance < best.distance)) {
      best = { name: c, distance };
    }
  }
  return best?.name;
}
