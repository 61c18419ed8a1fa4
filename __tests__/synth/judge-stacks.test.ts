// The dry-run judge's generator (__tests__/e2e/support/judge-stacks.ts), offline: its valid
// stacks must be valid to synth, or every mutation of them would be judged on a broken base.
import * as fc from 'fast-check';
import { buildStack, caseArb, stackArb } from '../e2e/support/judge-stacks';
import { synthVerdict } from '../e2e/support/judge';

describe('the dry-run judge generator', () => {
  test('every generated valid stack builds, and synth reports nothing on it', () => {
    fc.assert(fc.property(stackArb, (stack) => {
      // GIVEN a generated stack WHEN synth validates it THEN there is no problem
      expect(synthVerdict(buildStack(stack, 'judge-0'))).toEqual([]);
    }), { seed: 1, numRuns: 200 });
  });

  test('mutations are drawn: most cases change the stack, some are left valid', () => {
    // GIVEN a sample of cases WHEN counted THEN both kinds are there
    const cases = fc.sample(caseArb, { seed: 1, numRuns: 200 });
    const mutated = cases.filter((c) => c.mutation).length;
    expect(mutated).toBeGreaterThan(100);
    expect(mutated).toBeLessThan(200);
  });

  test('synthVerdict reads today\'s messages: path, code and the whole message, all errors', () => {
    // GIVEN a stack with an unpinned image WHEN judged THEN one CVA104 error at its construct
    const stack = fc.sample(stackArb, { seed: 3, numRuns: 1 })[0];
    stack.workloads[0].image = 'nginx';
    const problems = synthVerdict(buildStack(stack, 'judge-0'));
    expect(problems).toEqual([expect.objectContaining({ code: 'CVA104', path: `stack/${stack.workloads[0].name}`, severity: 'error' })]);
    expect(problems[0].message).toMatch(/^\[stack\/\w+\] CVA104 image "nginx" has no tag/);
  });
});
