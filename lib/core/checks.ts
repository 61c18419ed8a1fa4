import { Size, SizeRoundingBehavior } from 'cdk8s';
import { DNS_1035_LABEL, DNS_1123_LABEL } from './rules/names';
import { Finding, finding } from './problem';
import { ProblemCode } from './problem-code';

// The checks of one value, as findings: undefined when the value passes. A
// construct records them (Problems.record), a value object keeps them for the
// construct that uses it. Messages are built only on failure: these checks
// run for every object of a large fleet.

/** `value` is an integer in `[min, max]` ({@link ProblemCode.OUT_OF_RANGE} unless another code is given). @internal */
export function integerFinding(what: string, value: number, min: number, max: number, code = ProblemCode.OUT_OF_RANGE): Finding | undefined {
  if (Number.isInteger(value) && value >= min && value <= max) {
    return undefined;
  }
  // Below the lower bound, the API server's own upper limit (an int32) is no limit worth saying.
  const range = max >= INT32_MAX && Number.isInteger(value) && value < min ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
  return finding(code, `${what} must be ${range}, got ${value}`, `set ${what} to ${range}`);
}

/** The largest number the API server takes in most integer fields (replicas, uids, counts): an int32. @internal */
export const INT32_MAX = 2147483647;

/** A TCP/UDP port number (1-65535). @internal */
export function portFinding(what: string, value: number): Finding | undefined {
  return integerFinding(what, value, 1, 65535);
}

/**
 * The size in MiB, the unit the manifests write sizes in, or the finding that
 * it is not a positive whole number of them (cdk8s's own conversion would
 * throw a bare error with no construct or fix). @internal
 */
export function mebibytesOf(what: string, size: Size, code: ProblemCode, fix: string): { mebibytes?: number; finding?: Finding } {
  const mebibytes = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  return Number.isInteger(mebibytes) && mebibytes > 0 ? { mebibytes }
    : { finding: finding(code, `${what} must be a positive whole number of MiB, got ${size.asString()}`, fix) };
}

/**
 * An object name. Services need a DNS-1035 label (they become DNS names and
 * must start with a letter); most other objects a DNS-1123 label. @internal
 */
export function nameFinding(what: string, value: string, rule: 'dns1035' | 'dns1123' = 'dns1123'): Finding | undefined {
  const re = rule === 'dns1035' ? DNS_1035_LABEL : DNS_1123_LABEL;
  if (value.length > 0 && value.length <= 63 && re.test(value)) {
    return undefined;
  }
  const shape = rule === 'dns1035'
    ? 'lower-case letters, digits and "-", starting with a letter and ending with a letter or digit'
    : 'lower-case letters, digits and "-", starting and ending with a letter or digit';
  return finding(ProblemCode.INVALID_NAME,
    `${what} "${value}" is not a valid ${rule === 'dns1035' ? 'DNS-1035' : 'DNS-1123'} label (at most 63 characters of ${shape})`,
    `choose a name such as "${suggestName(value)}"`);
}

function suggestName(value: string): string {
  const s = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63).replace(/-+$/, '');
  return s || 'my-service';
}

/** The findings that are there, in order. @internal */
export function present(...findings: Array<Finding | undefined>): Finding[] {
  return findings.filter((f): f is Finding => f !== undefined);
}

/** The values that occur more than once in `values`, each once, in order of first repetition. @internal */
export function repeated(values: Iterable<string>): string[] {
  // Most lists checked have one or two entries: no sets for those.
  if (Array.isArray(values) && values.length < 3) {
    return values.length === 2 && values[0] === values[1] ? [values[0]] : [];
  }
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) {
    (seen.has(v) ? twice : seen).add(v);
  }
  return [...twice];
}
