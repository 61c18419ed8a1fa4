import * as fc from 'fast-check';
import { caseArb } from './judge-stacks';
import { prepare } from './judge';
const all = fc.sample(caseArb, { seed: 20261203, numRuns: 300 });
prepare(all, '/tmp/judge-try');
console.log(JSON.stringify(all[113].stack.workloads.map(w => w.env)));
