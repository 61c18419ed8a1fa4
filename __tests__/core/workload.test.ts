import { App, Chart } from 'cdk8s';
import { ContainerPort, DisruptionBudget, IngressPolicy, Workload } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';
import { messagesOf } from '../support/problems';

describe('Workload.fromAttributes', () => {
  test('GIVEN the attributes of a workload made elsewhere THEN it stands for it, in its Chart\'s namespace unless given one', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    const legacy = Workload.fromAttributes(chart, 'legacy', { name: 'legacy', podSelector: { app: 'legacy' }, ports: [ContainerPort.tcp('http', 8080)], external: true });
    const other = Workload.fromAttributes(chart, 'other', { name: 'other', namespace: 'ops', podSelector: { app: 'other' }, external: true });
    expect([legacy.name, legacy.namespace, legacy.podSelector, legacy.ports.map(p => p.number)]).toEqual(['legacy', 'shop', { app: 'legacy' }, [8080]]);
    expect([other.namespace, other.ports]).toEqual(['ops', []]);
    expect(messagesOf(validateApp(chart.node.root as App))).toEqual([]);
  });

  test('GIVEN an empty podSelector THEN synth reports it once, instead of a policy and a budget over every pod of the namespace', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    const legacy = Workload.fromAttributes(chart, 'legacy', { name: 'legacy', podSelector: {}, ports: [ContainerPort.tcp('http', 80)] });
    new IngressPolicy(chart, 'p', { target: legacy, fromAnywhere: true });
    new DisruptionBudget(chart, 'pdb', { target: legacy });
    expect(messagesOf(validateApp(chart.node.root as App))).toEqual([
      '[c/legacy] CVA109 podSelector of legacy is empty, which selects every pod in its namespace. Fix: give the labels of legacy\'s pods (its spec.selector.matchLabels)',
    ]);
  });
});
