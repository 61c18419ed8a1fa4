// The steps of a fleet's synth, stopped after a given one, so that each step can be
// weighed on its own: the instructions of step k are the count at k minus the count at k-1.
//
//   npx esbuild scripts/bench/stages.ts --bundle --platform=node --packages=external --outfile=build/bench-stages.js
//   valgrind --tool=callgrind node --single-threaded build/bench-stages.js <tenants> <last step>
//
// Steps: 0 build the constructs, 1 find them, 2 their validations, 3 render every object,
// 4 the checks of each object, 5 YAML, 6 the checks between objects. The same work as
// `synthesize()` (lib/synth/synthesizer.ts) in the same order, without writing files.
// With HEAP_SNAPSHOT=<file> (and node --expose-gc) it writes a heap snapshot after the last step.
import * as v8 from 'v8';
import { App, Chart } from 'cdk8s';
import { Credentials, VotingAppFleet } from '../../lib';
import { objectsInOrder, WiringChecks } from '../../lib/core/app-checks';
import { ClusterDns } from '../../lib/core/cluster-dns';
import { NodePortRange } from '../../lib/core/node-port-range';
import { constructProblems } from '../../lib/synth/synthesizer';
import { toYaml } from '../../lib/synth/yaml';

const tenants = Number(process.argv[2] ?? 1000);
const last = Number(process.argv[3] ?? 6);

const app = new App();
new VotingAppFleet(app, 'fleet', { tenants, credentials: Credentials.fromPassword({ password: 'postgres' }) });
let written = 0;
let problems = 0;
const checks = new WiringChecks({ nodePortRange: NodePortRange.forScope(app), clusterDns: ClusterDns.forScope(app) });
if (last >= 1) {
  const constructs = app.node.findAll();
  if (last >= 2) {
    constructProblems(constructs);
  }
  for (const chart of last >= 3 ? constructs.filter(Chart.isChart) : []) {
    for (const o of objectsInOrder(chart)) {
      const json = o.toJson();
      if (last >= 4) {
        checks.add(o, json);
      }
      if (last >= 5) {
        written += toYaml(json).length;
      }
    }
  }
  if (last >= 6) {
    problems = checks.problems(constructs).length;
  }
}
const snapshot = process.env.HEAP_SNAPSHOT;
if (snapshot) {
  (globalThis as { gc?: () => void }).gc?.();
  v8.writeHeapSnapshot(snapshot);
}
// What the steps made stays reachable up to here, as in a synth.
process.stdout.write(`${tenants} tenants, steps 0-${last}: ${app.node.findAll().length} constructs, ${written} characters of YAML, ${problems} problems\n`);
void checks;
