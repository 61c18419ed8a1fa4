import { App } from 'cdk8s';
import { credentialsFromEnv, runSynth, VotingAppChart } from './lib';

// Composes the charts written to dist/. Configuration comes from the
// environment (README: "Configuration"); nothing secret is written here.
runSynth(() => {
  const app = new App();
  const { credentials, warnings } = credentialsFromEnv(process.env);
  warnings.forEach(w => process.stderr.write(`warning: ${w}\n`));
  new VotingAppChart(app, 'voting-app', { credentials });
  return app;
}, { outdir: 'dist' });
