// One benchmark subject, run in its own process so wall time and peak memory are its own:
//   node fleet.js ours <N> <outdir>             VotingAppFleet (one chart) + synthesize()
//   node fleet.js chart-per-tenant <N> <outdir> one cdk8s Chart per tenant + App.synth()
import { App, Chart } from 'cdk8s';
import { AppNamespace, Credentials, Exposure, VotingApp, VotingAppFleet } from '../../lib';
import { synthesize } from '../../lib/synth/synthesizer';
import { NODE_PORT_RANGE } from '../../lib/core/node-port-allocator';

const [mode, count, outdir] = process.argv.slice(2);
const tenants = Number(count);
const credentials = Credentials.fromPassword({ password: 'postgres' });

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
} else {
  throw new Error(`unknown mode ${mode}`);
}
