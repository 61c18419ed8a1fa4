// One benchmark subject, run in its own process so wall time and peak memory are its own:
//   node fleet.js ours <N> <outdir>             VotingAppFleet (one chart) + synthesize()
//   node fleet.js chart-per-tenant <N> <outdir> one cdk8s Chart per tenant + App.synth()
//   node fleet.js cdk8s-floor <manifests.json> <outdir>
//                                               the same objects, final, as plain ApiObjects in one
//                                               Chart, rendered by cdk8s's toJson and written by our
//                                               YAML writer: what any library rendering through cdk8s
//                                               pays with no logic of its own (plus reading the JSON)
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, ApiObjectProps, App, Chart } from 'cdk8s';
import { AppNamespace, Credentials, Exposure, VotingApp, VotingAppFleet } from '../../lib';
import { synthesize } from '../../lib/synth/synthesizer';
import { NODE_PORT_RANGE } from '../../lib/core/node-port-allocator';
import { toYaml } from '../../lib/synth/yaml';

const [mode, input, outdir] = process.argv.slice(2);
const credentials = Credentials.fromPassword({ password: 'postgres' });
const tenants = Number(input); // the input of ours and chart-per-tenant

if (mode === 'ours') {
  const app = new App();
  new VotingAppFleet(app, 'fleet', { tenants, credentials });
  synthesize(app, { outdir });
} else if (mode === 'chart-per-tenant') {
  // The naive way: the same objects, a Chart each, written by cdk8s itself.
  const app = new App({ outdir });
  for (let i = 0; i < tenants; i++) {
    const namespace = `tenant-${String(i + 1).padStart(Math.max(3, String(tenants).length), '0')}`;
    const chart = new Chart(app, namespace);
    new AppNamespace(chart, 'Namespace', { name: namespace, instance: namespace, partOf: 'voting-app' });
    // The same node ports VotingAppFleet hands out, so both write the same objects.
    new VotingApp(chart, 'App', {
      namespace, instance: namespace, credentials,
      voteExposure: Exposure.nodePort(8080, NODE_PORT_RANGE.first + 2 * i), resultExposure: Exposure.nodePort(8081, NODE_PORT_RANGE.first + 2 * i + 1),
    });
  }
  app.synth();
} else if (mode === 'cdk8s-floor') {
  const manifests = JSON.parse(fs.readFileSync(input, 'utf-8')) as ApiObjectProps[];
  const chart = new Chart(new App(), 'fleet');
  const objects = manifests.map((m, i) => new ApiObject(chart, String(i), m));
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, 'fleet.k8s.yaml'), objects.map(o => toYaml(o.toJson())).join('---\n'));
} else {
  throw new Error(`unknown mode ${mode}`);
}
