import { App, Chart } from 'cdk8s';
import { Autoscaling, ContainerPort, DisruptionBudget, Microservice } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';
import { find, synth } from '../support/manifests';
import { messagesOf } from '../support/problems';

describe('DisruptionBudget', () => {
  function web(): { chart: Chart; target: Microservice } {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    const target = new Microservice(chart, 'web', { image: 'nginx:1.27', replicas: 3, ports: [ContainerPort.tcp('http', 8080)] });
    return { chart, target };
  }

  test('GIVEN a workload THEN drains take one pod at a time, and unready pods never block them', () => {
    const { chart, target } = web();
    new DisruptionBudget(chart, 'budget', { target });
    const pdb = find(synth(chart), 'PodDisruptionBudget', 'web');
    expect(pdb.metadata.namespace).toBe('shop');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: target.podSelector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(messagesOf(validateApp(chart.node.root as App))).toEqual([]);
  });

  test('GIVEN two budgets for one workload, or a budget and an Autoscaling THEN synth reports the second once: with two, every eviction fails', () => {
    const twice = web();
    new DisruptionBudget(twice.chart, 'first', { target: twice.target });
    new DisruptionBudget(twice.chart, 'second', { target: twice.target, maxUnavailable: 2 });
    expect(messagesOf(validateApp(twice.chart.node.root as App))).toEqual([
      '[c/second] CVA108 web already has a PodDisruptionBudget, from c/first; with two over the same pods every eviction fails, so node drains stop. Fix: keep one budget per workload (Autoscaling makes its own for its target)',
    ]);
    const budgetFirst = web();
    new DisruptionBudget(budgetFirst.chart, 'budget', { target: budgetFirst.target });
    new Autoscaling(budgetFirst.chart, 'scale', { target: budgetFirst.target, minReplicas: 3 });
    expect(messagesOf(validateApp(budgetFirst.chart.node.root as App))).toEqual([
      '[c/scale] CVA108 web already has a PodDisruptionBudget, from c/budget, and Autoscaling makes its own; with two over the same pods every eviction fails, so node drains stop. Fix: drop that DisruptionBudget: Autoscaling\'s keeps minReplicas - 1 pods of web through drains',
    ]);
    const scalingFirst = web();
    new Autoscaling(scalingFirst.chart, 'scale', { target: scalingFirst.target, minReplicas: 3 });
    new DisruptionBudget(scalingFirst.chart, 'budget', { target: scalingFirst.target });
    expect(messagesOf(validateApp(scalingFirst.chart.node.root as App))).toEqual([
      '[c/budget] CVA108 web already has a PodDisruptionBudget, from c/scale/DisruptionBudget; with two over the same pods every eviction fails, so node drains stop. Fix: keep one budget per workload (Autoscaling makes its own for its target)',
    ]);
  });

  test('GIVEN maxUnavailable 0 THEN synth warns: legal, but a drain could never finish', () => {
    const { chart, target } = web();
    new DisruptionBudget(chart, 'budget', { target, maxUnavailable: 0 });
    expect(messagesOf(validateApp(chart.node.root as App))).toEqual([
      '[c/budget] CVA102 (warning) maxUnavailable is 0, so no pod of web may ever be evicted and a drain of its nodes never finishes. Fix: set maxUnavailable to 1 or more']);
  });

  test('GIVEN a target without a namespace WHEN the budget is made in a Chart with one THEN synth reports it: the budget would guard nothing', () => {
    const app = new App();
    const target = new Microservice(new Chart(app, 'apps'), 'web', { image: 'nginx:1.27', ports: [ContainerPort.tcp('http', 8080)] });
    new DisruptionBudget(new Chart(app, 'ops', { namespace: 'ops' }), 'budget', { target });
    expect(messagesOf(validateApp(app))).toEqual([
      '[ops/budget] CVA206 its PodDisruptionBudget would be written to namespace "ops" (its Chart\'s), but web has no set namespace, so it would not act on the pods of web: it only sees its own namespace. Fix: set the namespace of web (on the workload or its Chart), or make this in a Chart without a namespace',
    ]);
  });
});
