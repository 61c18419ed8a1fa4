import * as fs from 'fs';
import * as path from 'path';
import * as root from '../lib';
import * as core from '../lib/core';
import * as synth from '../lib/synth';
import * as votingApp from '../lib/voting-app';

const lib = path.join(__dirname, '..', 'lib');

/** The runtime names a layer exports (interfaces and types have none; docs/api lists them too). */
const names = (layer: object) => Object.keys(layer).sort();

describe('the public API, layer by layer', () => {
  test('core: the building blocks', () => {
    expect(names(core)).toEqual([
      'AppLabels', 'AppNamespace', 'Autoscaling', 'ClusterDns', 'Connection', 'ContainerPort', 'Credentials',
      'DeploymentStrategy', 'DisruptionBudget', 'Exposure', 'ExternalNameService', 'ExternalObjects', 'HealthCheck',
      'IngressPolicy', 'Microservice', 'NodePortAllocator', 'NodePortRange', 'Persistence', 'PodSecurityLevel', 'PortProtocol', 'ProblemCode', 'ProblemSeverity', 'Problems', 'Volume', 'Workload',
    ]);
  });

  test('voting-app: the app built from them', () => {
    expect(names(votingApp)).toEqual(['Profile', 'VotingApp', 'VotingAppChart', 'VotingAppFleet']);
  });

  test('synth: writing and checking', () => {
    expect(names(synth)).toEqual(['Synthesizer']);
  });

  test('the root offers exactly the three layers', () => {
    expect(names(root)).toEqual([...names(core), ...names(votingApp), ...names(synth)].sort());
  });

  test('no validation helper, render function, environment reader or generated binding is public', () => {
    // SynthesisError extends Error, which jsii cannot export: problems are read as data instead (docs/jsii.md).
    for (const internal of ['ConfigurationError', 'SynthesisError', 'check', 'checkInteger', 'ProblemCollector', 'renderApp', 'toYaml', 'credentialsFromEnv', 'NODE_PORT_RANGE', 'KubeDeployment', 'integerFinding', 'nameFinding', 'credentialEnv']) {
      expect(root).not.toHaveProperty(internal);
    }
  });
});

describe('the layers depend one way', () => {
  // Every file of the layer, its subfolders (lib/core/model) included.
  const importsOf = (layer: string) => fs.readdirSync(path.join(lib, layer), { recursive: true, encoding: 'utf-8' }).filter(f => f.endsWith('.ts')).flatMap(f =>
    [...fs.readFileSync(path.join(lib, layer, f), 'utf-8').matchAll(/from '([^']+)'/g)].map(m => `${f}: ${m[1]}`));

  test('core imports neither the voting app nor synth', () => {
    expect(importsOf('core').filter(i => /\.\.\/(voting-app|synth)/.test(i))).toEqual([]);
  });

  test('synth imports core only, never the voting app', () => {
    expect(importsOf('synth').filter(i => /\.\.\/voting-app/.test(i))).toEqual([]);
  });

  test('the voting app is built from core\'s public API only: it imports core\'s index, no core file (ESLint refuses it too)', () => {
    expect(importsOf('voting-app').filter(i => /\.\.\/core\//.test(i))).toEqual([]);
  });

  test('the voting app imports core, never synth', () => {
    expect(importsOf('voting-app').filter(i => /\.\.\/synth/.test(i))).toEqual([]);
  });
});
