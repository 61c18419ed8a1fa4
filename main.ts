import { App } from 'cdk8s';
import { BackendExample, ExternalDatabaseExample, ShopExample, WebappExample } from './examples';
import { credentialsFromEnv, tenantsFromEnv } from './app/settings';
import { Exposure, outputFile, Profile, runSynth, VotingAppChart, VotingAppFleet } from './lib';

// Composes every chart written to dist/. Settings come from the environment
// (README: "Database credentials", "A tenant fleet"); nothing secret is written here.
runSynth(() => {
  const app = new App();
  const { credentials, warnings } = credentialsFromEnv(process.env);
  warnings.forEach(w => process.stderr.write(`warning: ${w}\n`));

  // dist/ itself: the dev stack, what `kubectl apply -f dist/` brings up.
  outputFile(new VotingAppChart(app, 'voting-app', { credentials }), 'voting-app.k8s.yaml');
  outputFile(new VotingAppChart(app, 'production', { profile: Profile.PRODUCTION }), 'production/voting-app.k8s.yaml');

  outputFile(new WebappExample(app, 'webapp'), 'examples/webapp.k8s.yaml');
  outputFile(new BackendExample(app, 'backend'), 'examples/backend.k8s.yaml');
  outputFile(new ExternalDatabaseExample(app, 'external-database'), 'examples/external-database.k8s.yaml');
  outputFile(new ShopExample(app, 'shop'), 'examples/shop.k8s.yaml');
  outputFile(new VotingAppChart(app, 'voting-app-load-balancer', {
    credentials, namespace: 'example-voting-app-lb', voteExposure: Exposure.loadBalancer(80), resultExposure: Exposure.loadBalancer(80),
  }), 'examples/voting-app-load-balancer.k8s.yaml');

  // Last, so its node ports skip every one the charts above use.
  outputFile(new VotingAppFleet(app, 'fleet', { tenants: tenantsFromEnv(process.env), credentials }), 'fleet/fleet.k8s.yaml');
  return app;
}, { outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
