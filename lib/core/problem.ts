import { ProblemCode } from './problem-code';

/** How bad a {@link ProblemReport} is. */
export enum ProblemSeverity {
  /** Kubernetes refuses it, it cannot run as meant, or the library refuses it on purpose: nothing is written. */
  ERROR = 'error',
  /** Legal, but almost surely a mistake: reported, and the App is still written. */
  WARNING = 'warning',
}

/**
 * A problem found in an App, as data: where (the construct path), what kind
 * (a stable code), what is wrong and how to fix it. Recorded where it is
 * found, carried as a list by a failed synth, and turned into text once, by
 * {@link formatProblem}.
 */
export interface ProblemReport {
  /** The path of the construct it was found in; empty for the App itself. */
  readonly path: string;
  /** The stable code of its kind, e.g. `CVA201` (see ProblemCode). */
  readonly code: string;
  /** What is wrong. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
  /** Whether it stops synth. */
  readonly severity: ProblemSeverity;
}

/**
 * A problem not yet placed in the construct tree: what a check or a value
 * object found. The construct that records it gives it its path. @internal
 */
export interface Finding {
  readonly code: ProblemCode;
  readonly problem: string;
  readonly fix: string;
  /** @default ProblemSeverity.ERROR */
  readonly severity?: ProblemSeverity;
}

/** A finding, made only where a check fails (messages cost time in a fleet of thousands). @internal */
export function finding(code: ProblemCode, problem: string, fix: string, severity = ProblemSeverity.ERROR): Finding {
  return { code, problem, fix, severity };
}

/** Places a finding at `path`. @internal */
export function placed(path: string, f: Finding): ProblemReport {
  return { path, code: f.code.code, problem: f.problem, fix: f.fix, severity: f.severity ?? ProblemSeverity.ERROR };
}

/**
 * `CODE problem. Fix: fix`, with `(warning)` after the code of a warning: a
 * problem without its path. A validation of another library has no fix of its
 * own: its message stands alone. @internal
 */
export function describeProblem(p: ProblemReport): string {
  return `${p.code}${p.severity === ProblemSeverity.WARNING ? ' (warning)' : ''} ${p.problem}${p.fix === '' ? '' : `. Fix: ${p.fix}`}`;
}

/** The one text form of a problem: `[path] CODE problem. Fix: fix`. */
export function formatProblem(p: ProblemReport): string {
  return `[${p.path || '<root>'}] ${describeProblem(p)}`;
}

/** Whether a problem stops synth. @internal */
export function isError(p: ProblemReport): boolean {
  return p.severity === ProblemSeverity.ERROR;
}
