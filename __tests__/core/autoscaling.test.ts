import { App, Chart } from 'cdk8s';
import { Autoscaling, ContainerPort, Microservice, Workload } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';
import { find, synth } from '../support/manifests';
import { messagesOf } from '../support/problems';

/** A chart with one stateless web workload, ready to be autoscaled. */
function web(replicas = 2): { chart: Chart; target: Microservice } {
  const chart = new Chart(new App(), 'c');
  const target = new Microservice(chart, 'web', { image: 'nginx:1.27', replicas, ports: [ContainerPort.tcp('http', 8080)] });
  return { chart, target };
}

/** What synth would report for the App of `chart`. */
const problems = (chart: Chart) => messagesOf(validateApp(chart.node.root as App));

describe('Autoscaling', () => {
  test('GIVEN a Deployment made elsewhere WHEN autoscaled THEN the HPA targets it by name and the PDB selects its pods', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    const legacy = Workload.fromAttributes(chart, 'legacy', { name: 'legacy', podSelector: { app: 'legacy' }, external: true });
    new Autoscaling(chart, 'scale', { target: legacy });
    const objects = synth(chart);
    expect(problems(chart)).toEqual([]);
    expect(find(objects, 'HorizontalPodAutoscaler', 'legacy').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'legacy' });
    expect(find(objects, 'PodDisruptionBudget', 'legacy').metadata.namespace).toBe('shop');
    expect(find(objects, 'PodDisruptionBudget', 'legacy').spec.selector).toEqual({ matchLabels: { app: 'legacy' } });
  });

  test('GIVEN a workload WHEN autoscaled THEN an HPA and a PDB select it and its Deployment leaves the pod count to the HPA', () => {
    const { chart, target } = web(3);
    new Autoscaling(chart, 'scale', { target });
    const objects = synth(chart);
    expect(problems(chart)).toEqual([]);
    // THEN no replicas is written, so `kubectl apply` never resets what the autoscaler chose
    expect(find(objects, 'Deployment', 'web').spec).not.toHaveProperty('replicas');
    // AND the replicas asked for is the autoscaler's floor, and twice that its ceiling (at least 5)
    expect(find(objects, 'HorizontalPodAutoscaler', 'web').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 3, maxReplicas: 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(find(objects, 'PodDisruptionBudget', 'web').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: target.labels.selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('GIVEN an autoscaled workload THEN its PodDisruptionBudget lets a drain evict pods that run but are not Ready', () => {
    const { chart, target } = web(2);
    new Autoscaling(chart, 'scale', { target });
    expect(find(synth(chart), 'PodDisruptionBudget', 'web').spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
  });

  test('GIVEN a workload at the default 1 replica THEN it scales from 2 to 5', () => {
    const { chart, target } = web(1);
    new Autoscaling(chart, 'scale', { target });
    expect(problems(chart)).toEqual([]);
    expect(find(synth(chart), 'HorizontalPodAutoscaler', 'web').spec).toMatchObject({ minReplicas: 2, maxReplicas: 5 });
  });

  test('GIVEN explicit bounds and CPU target THEN the HPA uses them', () => {
    const { chart, target } = web(1);
    new Autoscaling(chart, 'scale', { target, minReplicas: 2, maxReplicas: 10, targetCpuPercent: 50 });
    expect(problems(chart)).toEqual([]);
    expect(find(synth(chart), 'HorizontalPodAutoscaler', 'web').spec).toMatchObject({
      minReplicas: 2, maxReplicas: 10, metrics: [{ resource: { target: { averageUtilization: 50 } } }],
    });
  });

  test.each([
    [{ minReplicas: 1 }, 1, '[c/scale] CVA102 (warning) minReplicas is 1, so a node drain (its PodDisruptionBudget lets the one pod go) leaves web without a pod. Fix: set minReplicas to 2 or more'],
    [{ minReplicas: 0 }, 1, '[c/scale] CVA102 minReplicas must be an integer of at least 1, got 0. Fix: set minReplicas to an integer of at least 1'],
    [{ minReplicas: 4, maxReplicas: 3 }, 1, '[c/scale] CVA102 maxReplicas must be an integer of at least 4, got 3. Fix: set maxReplicas to an integer of at least 4'],
    [{ targetCpuPercent: 0 }, 1, '[c/scale] CVA102 targetCpuPercent must be an integer of at least 1, got 0. Fix: set targetCpuPercent to an integer of at least 1'],
    [{ minReplicas: 2 }, 3, '[c/scale] CVA108 web asks for 3 replicas, but its autoscaler keeps 2 to 5. Fix: drop the replicas of web or set minReplicas: 3'],
  ])('GIVEN %p on a workload of %p replicas THEN synth reports it', (props, replicas, message) => {
    const { chart, target } = web(replicas);
    new Autoscaling(chart, 'scale', { target, ...props });
    expect(problems(chart)).toEqual([message]);
  });

  test('GIVEN several mistakes THEN synth reports every one of them', () => {
    const { chart, target } = web(1);
    new Autoscaling(chart, 'scale', { target, minReplicas: 0, targetCpuPercent: 0 });
    expect(problems(chart)).toEqual([
      '[c/scale] CVA102 minReplicas must be an integer of at least 1, got 0. Fix: set minReplicas to an integer of at least 1',
      '[c/scale] CVA102 targetCpuPercent must be an integer of at least 1, got 0. Fix: set targetCpuPercent to an integer of at least 1',
    ]);
  });

  test('GIVEN a workload with an invalid replicas THEN only the workload reports it', () => {
    const { chart, target } = web(-3);
    new Autoscaling(chart, 'scale', { target });
    expect(problems(chart)).toEqual(['[c/web] CVA102 replicas must be an integer of at least 0, got -3. Fix: set replicas to an integer of at least 0']);
  });

  test('GIVEN a workload already autoscaled WHEN a second Autoscaling targets it THEN synth reports it', () => {
    const { chart, target } = web();
    new Autoscaling(chart, 'first', { target });
    new Autoscaling(chart, 'second', { target });
    expect(problems(chart)).toEqual([
      '[c/second] CVA108 web is already autoscaled by c/first; two autoscalers would fight over its pod count. Fix: keep one Autoscaling per workload',
    ]);
  });

  test('GIVEN a target without a namespace WHEN autoscaled from a Chart with one THEN synth reports it once: the HPA would not find the Deployment', () => {
    const app = new App();
    const target = new Microservice(new Chart(app, 'apps'), 'web', { image: 'nginx:1.27', ports: [ContainerPort.tcp('http', 8080)] });
    new Autoscaling(new Chart(app, 'ops', { namespace: 'ops' }), 'scale', { target });
    expect(messagesOf(validateApp(app))).toEqual([
      '[ops/scale] CVA206 its HorizontalPodAutoscaler and PodDisruptionBudget would be written to namespace "ops" (its Chart\'s), but web has no set namespace, so it would not act on the pods of web: it only sees its own namespace. Fix: set the namespace of web (on the workload or its Chart), or make this in a Chart without a namespace',
    ]);
  });
});
