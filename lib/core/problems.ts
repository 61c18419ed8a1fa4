import { IConstruct, IValidation } from 'constructs';
import { describeProblem, Finding, finding, formatProblem, isError, placed, ProblemReport, ProblemSeverity } from './problem';
import { integerFinding, nameFinding } from './checks';
import { ProblemCode } from './problem-code';
// A cycle, resolved at run time: the App-wide checks read the consequences recorded here.
import { appWideProblems } from './app-checks';

/** What a value object found wrong with itself, for the construct that uses it to report. @internal */
export interface HasFindings {
  /** @internal */
  readonly _findings: readonly Finding[];
}

/**
 * One object a problem makes wrong or leaves unbuilt, named the way the
 * App-wide checks over rendered manifests see it: that check's finding on
 * that object is the problem's consequence, not a problem of its own.
 * @internal
 */
export interface Consequence {
  /** The code the App-wide check would report. */
  readonly code: ProblemCode;
  readonly kind: string;
  /** @default - any namespace */
  readonly namespace?: string;
  readonly name: string;
}

const recorders = new WeakMap<IConstruct, Problems>();
// A value object used by several constructs reports through the first that adopts it.
const owners = new WeakMap<object, Problems>();
// Per App: the consequences declared, by key.
const consequences = new WeakMap<IConstruct, Map<string, ProblemReport>>();
// Per App: whether its App-wide validation is registered.
const appsChecked = new WeakSet<IConstruct>();
// While synth collects problems as data, the text validations cdk8s runs stay silent.
let collecting = 0;

/** A check that runs when the App is validated, so that it sees what was added after construction. */
export interface IDeferredCheck {
  /** Records what it finds through `problems`. */
  runCheck(problems: Problems): void;
}

/**
 * Where a construct records its problems, as data: each is recorded where it
 * is found, with the construct's path, a stable code, the problem and the fix;
 * nothing is thrown. The errors become the construct's validation
 * (`node.addValidation`), so a stock `cdk8s synth` or `App.synth()` reports
 * them too; `Synthesizer.validate` returns them as values. A construct of your
 * own records its problems the same way: `Problems.of(this).check(...)`.
 */
export class Problems implements IValidation {
  /** The recorder of `scope`, made on first use; it becomes the construct's validation with its first problem or deferred check. */
  public static of(scope: IConstruct): Problems {
    return recorders.get(scope) ?? new Problems(scope);
  }

  /** The recorder of `scope`, if it has one. @internal */
  public static _peek(scope: IConstruct): Problems | undefined {
    return recorders.get(scope);
  }

  /** Runs `collect` with the text validations of this library silent, so problems can be read as data instead. @internal */
  public static _collectingAsData<T>(collect: () => T): T {
    collecting++;
    try {
      return collect();
    } finally {
      collecting--;
    }
  }

  /** The problem a consequence follows from, if one was declared for it in the App of `scope`. @internal */
  public static _causeOf(scope: IConstruct, code: ProblemCode, kind: string, namespace: string | undefined, name: string): ProblemReport | undefined {
    const declared = consequences.get(scope.node.root);
    return declared?.get(consequenceKey(code, kind, namespace, name)) ?? declared?.get(consequenceKey(code, kind, undefined, name));
  }

  // Made when first needed, as is the construct's validation: most constructs of a fleet record
  // nothing, and their arrays would be about 4 of the 72 KB a tenant keeps alive (docs/performance.md).
  private found?: ProblemReport[];
  private deferred?: Array<() => void>;
  /** While the deferred checks run (see all()), what they record. */
  private late?: ProblemReport[];

  private constructor(private readonly scope: IConstruct) {
    recorders.set(scope, this);
    const root = scope.node.root;
    if (!appsChecked.has(root)) {
      appsChecked.add(root);
      // cdk8s validates the whole App again for every chart it renders (App.synth, chart.toJson), so
      // one synchronous synth computes the App-wide problems once; the next task computes them afresh.
      let memo: string[] | undefined;
      root.node.addValidation({
        validate: () => {
          if (collecting > 0) {
            return [];
          }
          if (memo === undefined) {
            // The App's path is empty: each message names the construct it is about.
            memo = appWideProblems(root).filter(isError).map(p => `App-wide check: ${formatProblem(p)}`);
            queueMicrotask(() => {
              memo = undefined;
            });
          }
          return memo;
        },
      });
    }
  }

  /**
   * The construct's errors as messages, for cdk8s's `node.validate()`, which
   * puts the construct's path in front of each; none while synth reads the
   * problems as data.
   */
  public validate(): string[] {
    return collecting > 0 ? [] : this.all().filter(isError).map(describeProblem);
  }

  /**
   * Makes the recorder its construct's validation, itself (no closure), when it first has
   * something to check: called before a problem or deferred check is stored, so a recorder
   * that has stored neither is not the validation yet.
   */
  private register(): void {
    if (this.found === undefined && this.deferred === undefined) {
      this.scope.node.addValidation(this);
    }
  }

  /** Records a finding (when there is one); returns whether there was none. @internal */
  public _record(f: Finding | undefined): boolean {
    return this._place(f) === undefined;
  }

  /** Records a finding (when there is one) and returns it as placed here. @internal */
  public _place(f: Finding | undefined): ProblemReport | undefined {
    if (f === undefined) {
      return undefined;
    }
    // The path is worked out only when there is something to report: a fleet has tens of thousands of constructs.
    const p = placed(this.scope.node.path, f);
    this.register();
    if (this.late !== undefined) {
      this.late.push(p); // while the deferred checks run: registered with the first of them
    } else {
      (this.found ??= []).push(p);
    }
    return p;
  }

  /** Records a problem and returns it. */
  public report(code: ProblemCode, problem: string, fix: string, severity = ProblemSeverity.ERROR): ProblemReport {
    return this._place(finding(code, problem, fix, severity))!;
  }

  /** Records a problem unless `condition` holds; returns `condition`. */
  public check(condition: boolean, code: ProblemCode, problem: string, fix: string, severity = ProblemSeverity.ERROR): boolean {
    if (!condition) {
      this.report(code, problem, fix, severity);
    }
    return condition;
  }

  /** Records a problem unless `value` is an integer from `min` to `max` (CVA102); returns whether it is. */
  public checkInteger(what: string, value: number, min: number, max: number): boolean {
    return this._record(integerFinding(what, value, min, max));
  }

  /** Records a problem unless `value` is a DNS-1123 label, the name most objects take (CVA101); returns whether it is. */
  public checkName(what: string, value: string): boolean {
    return this._record(nameFinding(what, value));
  }

  /** Runs `check` whenever the App is validated, so that it sees what was added after construction. */
  public addCheck(check: IDeferredCheck): void {
    this._later(() => check.runCheck(this));
  }

  /** Records a warning unless `condition` holds; returns `condition`. */
  public warnUnless(condition: boolean, code: ProblemCode, problem: string, fix: string): boolean {
    return this.check(condition, code, problem, fix, ProblemSeverity.WARNING);
  }

  /**
   * Reports what a value object found wrong with itself, as this construct's
   * problem: once in the App, through the first construct that adopts it.
   * Returns whether the value has no error.
   * @internal
   */
  public _adopt(value: HasFindings | undefined): boolean {
    if (value === undefined || value._findings.length === 0) {
      return true;
    }
    const owner = owners.get(value) ?? this;
    owners.set(value, owner);
    if (owner === this) {
      value._findings.forEach(f => this._record(f));
    }
    return !value._findings.some(f => f.severity !== ProblemSeverity.WARNING);
  }

  /** Adopts every value of `values`; returns whether none has an error. @internal */
  public _adoptAll(values: ReadonlyArray<HasFindings | undefined>): boolean {
    // Every value is adopted, even after one with an error: a loop, not map() and every().
    let ok = true;
    for (const v of values) {
      ok = this._adopt(v) && ok;
    }
    return ok;
  }

  /** Runs `check` at validation, so it sees what was added after construction; it records as usual. @internal */
  public _later(check: () => void): void {
    this.register();
    if (this.deferred === undefined) {
      this.deferred = [check];
    } else {
      this.deferred.push(check);
    }
  }

  /**
   * Declares what follows from `cause` in the manifests (an object it leaves
   * unbuilt, or one written with the bad value), so the App-wide checks report
   * it as that consequence and not as a second mistake.
   * @internal
   */
  public _consequence(cause: ProblemReport, ...of: Consequence[]): void {
    const root = this.scope.node.root;
    const declared = consequences.get(root) ?? new Map<string, ProblemReport>();
    consequences.set(root, declared);
    for (const c of of) {
      declared.set(consequenceKey(c.code, c.kind, c.namespace, c.name), cause);
    }
  }

  /** Every problem of the construct: those found at construction, then those of the checks run now. */
  public all(): ProblemReport[] {
    const found = this.found ?? [];
    if (this.deferred === undefined) {
      return found;
    }
    const outer = this.late;
    const late: ProblemReport[] = [];
    this.late = late;
    try {
      this.deferred.forEach(check => check());
    } finally {
      this.late = outer;
    }
    return late.length === 0 ? found : [...found, ...late];
  }
}

function consequenceKey(code: ProblemCode, kind: string, namespace: string | undefined, name: string): string {
  return `${code.code} ${kind} ${namespace ?? '*'}/${name}`;
}
