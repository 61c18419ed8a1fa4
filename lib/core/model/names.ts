import { DNS_1035_LABEL, DNS_1123_LABEL, DNS_1123_SUBDOMAIN } from '../dns-names';

// The names and labels the API server accepts (apimachinery's validation).

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Whether `k` is a label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function isLabelKey(k: string): boolean {
  const slash = k.indexOf('/');
  const name = slash < 0 ? k : k.slice(slash + 1);
  const prefix = slash < 0 ? undefined : k.slice(0, slash);
  return LABEL_NAME.test(name) && name.length <= 63 && (prefix === undefined || (DNS_1123_SUBDOMAIN.test(prefix) && prefix.length <= 253));
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

export function isValidName(kind: string, name: string): boolean {
  const rule = nameRuleOf(kind);
  return rule.pattern.test(name) && name.length <= rule.max;
}

/** Whether `ns` is a namespace name. */
export function isNamespaceName(ns: string): boolean {
  return isValidName('Namespace', ns);
}
