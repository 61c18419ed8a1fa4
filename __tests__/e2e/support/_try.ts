import * as fc from 'fast-check';
import { caseArb, MUTATION_KINDS } from './judge-stacks';
import { prepare } from './judge';
const j = prepare(fc.sample(caseArb, { seed: 20261203, numRuns: 300 }), '/tmp/judge-try');
const by: Record<string, Record<string, number>> = {};
for (const x of j) {
  const k = x.case.mutation?.kind ?? 'valid';
  const codes = [...new Set(x.synth.map(p => p.code))].join('+') || 'none';
  by[k] ??= {}; by[k][codes + (x.thrown ? '(thrown)' : '')] = (by[k][codes + (x.thrown ? '(thrown)' : '')] ?? 0) + 1;
}
for (const k of ['valid', ...MUTATION_KINDS]) console.log(k.padEnd(45), JSON.stringify(by[k] ?? 'NOT DRAWN'));
