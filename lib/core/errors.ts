import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DNS_1035_LABEL, DNS_1123_LABEL } from './dns-names';
import { ProblemCode } from './problem-code';

/**
 * A mistake in the props or wiring of a construct, found before anything is
 * written. The message names the construct path, the problem's stable code,
 * the problem and the fix: `[path] CVA201 problem. Fix: fix`.
 */
export class ConfigurationError extends Error {
  /** Builds the message `[path] CODE problem. Fix: fix`, the one form every problem is reported in. */
  public static format(path: string, code: ProblemCode, problem: string, fix: string): string {
    return `[${path || '<root>'}] ${describe(code.code, problem, fix)}`;
  }

  /** The stable code of the kind of problem, e.g. `CVA201`. */
  public readonly code: string;
  /** The path of the construct (or the name of the value) with the problem. */
  public readonly path: string;
  /** What is wrong. */
  public readonly problem: string;
  /** How to fix it. */
  public readonly fix: string;

  constructor(scope: IConstruct | string, code: ProblemCode, problem: string, fix: string) {
    const path = typeof scope === 'string' ? scope : scope.node.path;
    super(ConfigurationError.format(path, code, problem, fix));
    this.name = 'ConfigurationError';
    this.code = code.code;
    this.path = path;
    this.problem = problem;
    this.fix = fix;
  }
}

function describe(code: string, problem: string, fix: string): string {
  return `${code} ${problem}. Fix: ${fix}`;
}

/**
 * Collects the problems in a construct's props instead of stopping at the
 * first: each failed check is recorded, and all of them become the
 * construct's validations, so one synth reports every mistake of every
 * construct (and writes nothing).
 */
export class ProblemCollector {
  private readonly problems: ConfigurationError[] = [];
  private readonly deferred: Array<(into: ConfigurationError[]) => void> = [];

  constructor(scope: IConstruct) {
    // Validation messages carry no path of their own: cdk8s's App.synth() and
    // synthesize() both put the construct's path in front.
    // The path is worked out only when there is something to report.
    scope.node.addValidation({
      validate: () => {
        // Deferred checks see what was added after construction; they run afresh on every validation.
        const late: ConfigurationError[] = [];
        for (const check of this.deferred) {
          check(late);
        }
        if (this.problems.length === 0 && late.length === 0) {
          return [];
        }
        const own = scope.node.path;
        // A problem of a value made for this construct (e.g. `Credentials.fromSecret(x)`) names the value after the code.
        return [...this.problems, ...late].map(e => describe(e.code, e.path === own ? e.problem : `${e.path}: ${e.problem}`, e.fix));
      },
    });
  }

  /** Runs a check; a {@link ConfigurationError} it throws is recorded. Returns whether it passed. */
  public run(check: () => void): boolean {
    return this.value(() => {
      check();
      return true;
    }) ?? false;
  }

  /** Runs a check on every item, so that each bad item is reported, not only the first. Returns whether all passed. */
  public each<T>(items: Iterable<T>, check: (item: T) => void): boolean {
    return checkEach(items, check, this.problems);
  }

  /** Runs a check when the construct is validated, so that it sees what was added after construction. */
  public defer(check: () => void): void {
    this.deferred.push(into => catchProblem(check, e => into.push(e)));
  }

  /** Runs a check on every item of `items()` when the construct is validated: {@link each}, late. */
  public deferEach<T>(items: () => Iterable<T>, check: (item: T) => void): void {
    this.deferred.push(into => checkEach(items(), check, into));
  }

  /** Computes a value whose computation checks props; undefined when a check failed. */
  public value<T>(compute: () => T): T | undefined {
    return catchProblem(compute, e => this.problems.push(e));
  }
}

/**
 * Runs `compute`; a {@link ConfigurationError} it throws is handed to
 * `onProblem` and gives undefined, any other error goes on.
 */
export function catchProblem<T>(compute: () => T, onProblem: (problem: ConfigurationError) => void = () => undefined): T | undefined {
  try {
    return compute();
  } catch (err) {
    if (err instanceof ConfigurationError) {
      onProblem(err);
      return undefined;
    }
    throw err;
  }
}

/** Runs `check` on each item; the {@link ConfigurationError}s thrown go to `into`. */
function checkEach<T>(items: Iterable<T>, check: (item: T) => void, into: ConfigurationError[]): boolean {
  const before = into.length;
  for (const item of items) {
    catchProblem(() => check(item), e => into.push(e));
  }
  return into.length === before;
}

/** The values that occur more than once in `values`, each once, in order of first repetition. */
export function repeated(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) {
    (seen.has(v) ? twice : seen).add(v);
  }
  return [...twice];
}

/** Throws a {@link ConfigurationError} unless `condition` holds. */
export function check(condition: boolean, scope: IConstruct | string, code: ProblemCode, problem: string, fix: string): asserts condition {
  if (!condition) {
    throw new ConfigurationError(scope, code, problem, fix);
  }
}

/** Checks that `value` is an integer in `[min, max]` ({@link ProblemCode.OUT_OF_RANGE} unless another code is given). */
export function checkInteger(scope: IConstruct | string, what: string, value: number, min: number, max: number, code = ProblemCode.OUT_OF_RANGE): void {
  // Messages are built only on failure: these checks run for every object of a large fleet.
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new ConfigurationError(scope, code, `${what} must be an integer from ${min} to ${max}, got ${value}`, `set ${what} to an integer from ${min} to ${max}`);
  }
}

/**
 * The size in MiB, the unit the manifests write sizes in; throws unless it is
 * a positive whole number of them (cdk8s's own conversion would throw a bare
 * error with no construct or fix).
 */
export function wholeMebibytes(scope: IConstruct | string, what: string, size: Size, code: ProblemCode, fix: string): number {
  const mebibytes = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!(Number.isInteger(mebibytes) && mebibytes > 0)) {
    throw new ConfigurationError(scope, code, `${what} must be a positive whole number of MiB, got ${size.asString()}`, fix);
  }
  return mebibytes;
}

/** Checks a TCP/UDP port number (1-65535). */
export function checkPort(scope: IConstruct | string, what: string, value: number): void {
  checkInteger(scope, what, value, 1, 65535);
}

/**
 * Checks an object name. Services need a DNS-1035 label (they become DNS
 * names and must start with a letter); most other objects a DNS-1123 label.
 */
export function checkName(scope: IConstruct | string, what: string, value: string, rule: 'dns1035' | 'dns1123' = 'dns1123'): void {
  const re = rule === 'dns1035' ? DNS_1035_LABEL : DNS_1123_LABEL;
  if (value.length > 0 && value.length <= 63 && re.test(value)) {
    return;
  }
  const shape = rule === 'dns1035'
    ? 'lower-case letters, digits and "-", starting with a letter and ending with a letter or digit'
    : 'lower-case letters, digits and "-", starting and ending with a letter or digit';
  throw new ConfigurationError(scope, ProblemCode.INVALID_NAME,
    `${what} "${value}" is not a valid ${rule === 'dns1035' ? 'DNS-1035' : 'DNS-1123'} label (at most 63 characters of ${shape})`,
    `choose a name such as "${suggestName(value)}"`);
}

function suggestName(value: string): string {
  const s = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63).replace(/-+$/, '');
  return s || 'my-service';
}
