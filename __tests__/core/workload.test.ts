import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Autoscaling, ContainerPort, DisruptionBudget, IngressPolicy, Microservice, Workload } from '../../lib';
import { find, render } from '../support/manifests';
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

describe('Workload.fromPlus: a cdk8s-plus workload takes part without restating what it is', () => {
  test('GIVEN a cdk8s-plus Deployment WHEN a Microservice connects to it, a policy and an autoscaler target it THEN its name, labels and ports are read from it, and synth is satisfied', () => {
    // GIVEN
    const app = new App();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    const legacy = new kplus.Deployment(chart, 'legacy', {
      metadata: { name: 'legacy' },
      containers: [{ image: 'legacy:1.0', portNumber: 8080, securityContext: { ensureNonRoot: false } }],
    });
    const target = Workload.fromPlus(legacy);
    // WHEN
    new Microservice(chart, 'web', { image: 'web:1.0' }).connectTo(target);
    new IngressPolicy(chart, 'legacy-ingress', { target });
    new Autoscaling(chart, 'scale', { target });
    // THEN
    expect([target.name, target.namespace, target.kind, target.ports.map(p => p.number)]).toEqual(['legacy', 'shop', 'Deployment', [8080]]);
    expect(Workload.fromPlus(legacy)).toBe(target);
    const objects = render(chart);
    expect(find(objects, 'HorizontalPodAutoscaler', 'legacy').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'legacy' });
    expect(find(objects, 'Deployment', 'legacy').spec.replicas).toBeUndefined();
    expect(find(objects, 'NetworkPolicy', 'legacy-ingress').spec.podSelector.matchLabels).toEqual(legacy.matchLabels);
    expect(messagesOf(validateApp(app))).toEqual([]);
  });
});
