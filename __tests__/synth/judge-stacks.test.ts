// The dry-run judge's generator (__tests__/e2e/support/judge-stacks.ts), offline: its valid
// stacks must be valid to synth, or every mutation of them would be judged on a broken base.
import * as fc from 'fast-check';
import { buildStack, caseArb, Mutation, stackArb } from '../e2e/support/judge-stacks';
import { Judged, outcomeOf, synthVerdict } from '../e2e/support/judge';

describe('the dry-run judge generator', () => {
  test('every generated valid stack builds, and synth reports nothing on it', () => {
    fc.assert(fc.property(stackArb, (stack) => {
      // GIVEN a generated stack WHEN synth validates it THEN there is no error (a warning, e.g. a port a policy closes, is legal)
      expect(synthVerdict(buildStack(stack, 'judge-0')).filter(p => p.severity === 'error')).toEqual([]);
    }), { seed: 1, numRuns: 200 });
  });

  test('mutations are drawn: most cases change the stack, some are left valid', () => {
    // GIVEN a sample of cases WHEN counted THEN both kinds are there
    const cases = fc.sample(caseArb, { seed: 1, numRuns: 200 });
    const mutated = cases.filter((c) => c.mutation).length;
    expect(mutated).toBeGreaterThan(100);
    expect(mutated).toBeLessThan(200);
  });

  test('synthVerdict reads the problems as data: path, code, severity and the one text form', () => {
    // GIVEN a stack with an unpinned image WHEN judged THEN one CVA104 error at its construct
    const stack = fc.sample(stackArb, { seed: 3, numRuns: 1 })[0];
    stack.workloads[0].image = 'nginx';
    const problems = synthVerdict(buildStack(stack, 'judge-0')).filter(p => p.severity === 'error');
    expect(problems).toEqual([expect.objectContaining({ code: 'CVA104', path: `stack/${stack.workloads[0].name}`, severity: 'error' })]);
    expect(problems[0].message).toMatch(/^\[stack\/\w+\] CVA104 image "nginx" has no tag/);
  });
});

describe('the dry-run judge verdicts', () => {
  const stack = fc.sample(stackArb, { seed: 5, numRuns: 1 })[0];
  const judged = (synthCodes: string[], server: string[], mutation?: Mutation): Judged => ({
    index: 0, case: { stack, mutation }, server,
    synth: synthCodes.map((code) => ({ code, path: 'stack/web', message: `[stack/web] ${code} ...`, severity: 'error' })),
  });
  const rejection = 'Error from server (Invalid): error when creating "apply/stack-0.json": ...';

  test('a server rejection synth did not report is a disagreement', () => {
    // GIVEN a rejected stack WHEN synth said nothing, or an error THEN a disagreement, or agreement
    expect(outcomeOf(judged([], [rejection])).outcome).toBe('server rejects, synth accepts');
    expect(outcomeOf(judged(['CVA101'], [rejection])).outcome).toBe('agree');
  });

  test('a refusal the server accepts is a disagreement unless its code is refused on purpose', () => {
    // GIVEN an accepted stack WHEN synth refused it on purpose, or not THEN agreement, or the code not on purpose
    expect(outcomeOf(judged(['CVA104', 'CVA203'], [])).outcome).toBe('agree');
    expect(outcomeOf(judged(['CVA104', 'CVA103'], []))).toEqual({ outcome: 'synth refuses, server accepts', unexplained: ['CVA103'] });
  });

  test('what only the kubelet judges is listed apart, whatever synth says, unless the server rejects it', () => {
    // GIVEN a uid 0 under runAsNonRoot WHEN the server accepts, or rejects THEN listed apart, or a disagreement
    const uid0: Mutation = { kind: 'uid 0 with runAsNonRoot', target: 0, value: 0 };
    expect(outcomeOf(judged([], [], uid0)).outcome).toBe('kubelet-judged');
    expect(outcomeOf(judged([], [rejection], uid0)).outcome).toBe('server rejects, synth accepts');
  });
});
