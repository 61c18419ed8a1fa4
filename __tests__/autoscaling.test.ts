import { App, Chart } from 'cdk8s';
import { Autoscaling, ContainerPort, Microservice, validateApp } from '../lib';
import { find, synth } from './support/manifests';

/** A chart with one stateless web workload, ready to be autoscaled. */
function web(replicas = 2): { chart: Chart; target: Microservice } {
  const chart = new Chart(new App(), 'c');
  const target = new Microservice(chart, 'web', { image: 'nginx:1.27', replicas, ports: [ContainerPort.tcp('http', 8080)] });
  return { chart, target };
}

describe('Autoscaling', () => {
  test('GIVEN a workload WHEN autoscaled THEN an HPA and a PDB select it and its Deployment leaves the pod count to the HPA', () => {
    const { chart, target } = web(3);
    new Autoscaling(chart, 'scale', { target });
    const objects = synth(chart);
    expect(validateApp(chart.node.root as App)).toEqual([]);
    // THEN no replicas is written, so `kubectl apply` never resets what the autoscaler chose
    expect(find(objects, 'Deployment', 'web').spec).not.toHaveProperty('replicas');
    // AND the workload's replicas is the autoscaler's floor
    expect(find(objects, 'HorizontalPodAutoscaler', 'web').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 3, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(find(objects, 'PodDisruptionBudget', 'web').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: target.labels.selector },
    });
  });

  test('GIVEN explicit bounds and CPU target THEN the HPA uses them', () => {
    const { chart, target } = web(2);
    new Autoscaling(chart, 'scale', { target, minReplicas: 2, maxReplicas: 10, targetCpuPercent: 50 });
    expect(find(synth(chart), 'HorizontalPodAutoscaler', 'web').spec).toMatchObject({
      minReplicas: 2, maxReplicas: 10, metrics: [{ resource: { target: { averageUtilization: 50 } } }],
    });
  });

  test.each([
    [{ minReplicas: 1 }, 2, '[c/scale] minReplicas must be an integer from 2 to 1000, got 1. Fix: set minReplicas to an integer from 2 to 1000'],
    [{ minReplicas: 4, maxReplicas: 3 }, 4, '[c/scale] maxReplicas must be an integer from 4 to 1000, got 3. Fix: set maxReplicas to an integer from 4 to 1000'],
    [{ targetCpuPercent: 0 }, 2, '[c/scale] targetCpuPercent must be an integer from 1 to 100, got 0. Fix: set targetCpuPercent to an integer from 1 to 100'],
    [{ minReplicas: 3 }, 2, '[c/scale] web starts at 2 replicas, outside the autoscaling range 3-5. Fix: set web replicas to a value from 3 to 5'],
    [{}, 1, '[c/scale] web starts at 1 replica, outside the autoscaling range 2-5. Fix: set web replicas to a value from 2 to 5'],
  ])('GIVEN %p on a workload of %p replicas THEN it is refused', (props, replicas, message) => {
    const { chart, target } = web(replicas);
    expect(() => new Autoscaling(chart, 'scale', { target, ...props })).toThrow(message);
  });

  test('GIVEN a workload already autoscaled WHEN a second Autoscaling targets it THEN it is refused', () => {
    const { chart, target } = web();
    new Autoscaling(chart, 'first', { target });
    expect(() => new Autoscaling(chart, 'second', { target })).toThrow(
      '[c/second] web is already autoscaled by c/first; two autoscalers would fight over its pod count. Fix: keep one Autoscaling per workload');
  });
});
