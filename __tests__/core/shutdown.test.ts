import { App, Chart, Duration } from 'cdk8s';
import { PercentOrAbsolute } from 'cdk8s-plus-28';
import { ContainerPort, DeploymentStrategy, Microservice, MicroserviceProps } from '../../lib';
import { find, Manifest, render, synth } from '../support/manifests';
import { messages } from '../support/problems';

const http = ContainerPort.tcp('http', 8080);
/** A workload with a Service: what drains by default. */
const SERVING: MicroserviceProps = { name: 'web', image: 'web:1.0', ports: [http] };

/** The Deployment of one Microservice made with `props`, and every problem synth reports. */
function deploymentOf(props: MicroserviceProps): { deployment: Manifest; problems: string[] } {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  new Microservice(chart, 'web', props);
  const problems = messages(app);
  const objects = problems.length === 0 ? synth(chart) : render(chart);
  return { deployment: find(objects, 'Deployment', props.name ?? 'web'), problems };
}

/** The parts of a Deployment a pod's stopping and its updates depend on. */
function stopping(props: MicroserviceProps) {
  const { deployment, problems } = deploymentOf(props);
  expect(problems).toEqual([]);
  const pod = deployment.spec.template.spec;
  return { preStop: pod.containers[0].lifecycle?.preStop, grace: pod.terminationGracePeriodSeconds, strategy: deployment.spec.strategy };
}

/** The problems synth reports for one Microservice made with `props`. */
function problemsOf(props: MicroserviceProps): string[] {
  return deploymentOf(props).problems;
}

const ROLLING = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } };

describe('Microservice: zero downtime by default', () => {
  test('GIVEN a workload with a Service WHEN nothing about stopping is set THEN it pauses 5 s in preStop, has 5 + 30 s of grace, and rolls without dropping below its count', () => {
    // WHEN
    const s = stopping(SERVING);
    // THEN the pod keeps serving while the endpoints drop it, then the process has Kubernetes' 30 s
    expect(s.preStop).toEqual({ exec: { command: ['sleep', '5'] } });
    expect(s.grace).toBe(35);
    // AND a new pod is ready before an old one goes
    expect(s.strategy).toEqual(ROLLING);
  });

  test('GIVEN a workload without a Service THEN it gets no pause and Kubernetes\' grace period, but the same rolling update', () => {
    for (const props of [{ name: 'worker', image: 'worker:1.0' }, { ...SERVING, service: false as const }]) {
      const s = stopping(props);
      expect(s.preStop).toBeUndefined();
      expect(s.grace).toBeUndefined();
      expect(s.strategy).toEqual(ROLLING);
    }
  });

  test('GIVEN a workload updated by Recreate (one data directory) THEN it stops at once: no pause, no rolling parameters', () => {
    const s = stopping({ ...SERVING, strategy: DeploymentStrategy.RECREATE });
    expect(s.preStop).toBeUndefined();
    expect(s.grace).toBeUndefined();
    expect(s.strategy).toEqual({ type: 'Recreate' });
  });

  test('GIVEN an image without sleep (FROM scratch) THEN no preStop is written, and the grace period is Kubernetes\' own', () => {
    const s = stopping({ ...SERVING, shutdown: { imageHasSleep: false } });
    expect(s.preStop).toBeUndefined();
    expect(s.grace).toBeUndefined();
    expect(s.strategy).toEqual(ROLLING);
  });

  test('GIVEN an image without sleep AND a drain command THEN that command is the preStop, for the default pause', () => {
    const s = stopping({ ...SERVING, shutdown: { imageHasSleep: false, drainCommand: ['/busybox/sleep', '5'] } });
    expect(s.preStop).toEqual({ exec: { command: ['/busybox/sleep', '5'] } });
    expect(s.grace).toBe(35);
  });

  test('GIVEN a drain command on a workload without a Service THEN it is written all the same: it was asked for', () => {
    const s = stopping({ name: 'worker', image: 'worker:1.0', shutdown: { drainCommand: ['/app', 'drain'] } });
    expect(s.preStop).toEqual({ exec: { command: ['/app', 'drain'] } });
    expect(s.grace).toBe(35);
  });

  test('GIVEN a longer drain pause THEN sleep runs that long and the grace period grows with it', () => {
    const s = stopping({ ...SERVING, shutdown: { drainPause: Duration.seconds(15) } });
    expect(s.preStop).toEqual({ exec: { command: ['sleep', '15'] } });
    expect(s.grace).toBe(45);
  });

  test('GIVEN a drain pause on a workload without a Service THEN it pauses as asked', () => {
    const s = stopping({ name: 'worker', image: 'worker:1.0', shutdown: { drainPause: Duration.seconds(3) } });
    expect(s.preStop).toEqual({ exec: { command: ['sleep', '3'] } });
    expect(s.grace).toBe(33);
  });

  test('GIVEN a drain pause of 0 THEN no preStop and no grace period are written', () => {
    const s = stopping({ ...SERVING, shutdown: { drainPause: Duration.seconds(0) } });
    expect(s.preStop).toBeUndefined();
    expect(s.grace).toBeUndefined();
  });

  test('GIVEN a grace period THEN it is written as given, with the default pause', () => {
    const s = stopping({ ...SERVING, shutdown: { gracePeriod: Duration.minutes(2) } });
    expect(s.preStop).toEqual({ exec: { command: ['sleep', '5'] } });
    expect(s.grace).toBe(120);
  });

  test('GIVEN a grace period on a workload that does not pause (Recreate) THEN it is written alone: time for a database to stop', () => {
    const s = stopping({ ...SERVING, strategy: DeploymentStrategy.RECREATE, shutdown: { gracePeriod: Duration.seconds(60) } });
    expect(s.preStop).toBeUndefined();
    expect(s.grace).toBe(60);
  });

  test('GIVEN rolling-update parameters THEN they are written as given: counts as integers, percentages as strings', () => {
    expect(stopping({ ...SERVING, rollingUpdate: { maxSurge: PercentOrAbsolute.absolute(1) } }).strategy)
      .toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(stopping({ ...SERVING, rollingUpdate: { maxSurge: PercentOrAbsolute.percent(50), maxUnavailable: PercentOrAbsolute.percent(10) } }).strategy)
      .toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: '10%' } });
  });
});

describe('Microservice: a bad shutdown or update setting is a problem, not an exception', () => {
  test('GIVEN a grace period not longer than the drain pause THEN synth reports CVA114: the kubelet would kill the process 2 s after SIGTERM', () => {
    expect(problemsOf({ ...SERVING, shutdown: { drainPause: Duration.seconds(10), gracePeriod: Duration.seconds(10) } })).toEqual([
      '[test/web] CVA114 shutdown.gracePeriod (10s) is not longer than drainPause (10s): the kubelet kills the process about 2s after its SIGTERM, in the middle of its shutdown. Fix: set gracePeriod to drainPause plus the time the process needs to stop, e.g. Duration.seconds(40)',
    ]);
    // AND against the default pause too
    expect(problemsOf({ ...SERVING, shutdown: { gracePeriod: Duration.seconds(3) } })).toEqual([
      expect.stringContaining('[test/web] CVA114 shutdown.gracePeriod (3s) is not longer than drainPause (5s)'),
    ]);
  });

  test('GIVEN a drain pause on an image declared without sleep, and no command THEN synth reports CVA114: nothing can pause', () => {
    expect(problemsOf({ ...SERVING, shutdown: { imageHasSleep: false, drainPause: Duration.seconds(5) } })).toEqual([
      '[test/web] CVA114 shutdown.drainPause is 5s, but imageHasSleep is false and no drainCommand is given, so nothing can pause. Fix: give shutdown.drainCommand (a sleep at another path, e.g. ["/busybox/sleep", "5"], or the program\'s own drain command), or set drainPause: Duration.seconds(0)',
    ]);
  });

  test('GIVEN a drain command with a pause of 0 THEN synth reports CVA114: the command would get no time', () => {
    expect(problemsOf({ ...SERVING, shutdown: { drainCommand: ['/app', 'drain'], drainPause: Duration.seconds(0) } })).toEqual([
      '[test/web] CVA114 shutdown.drainCommand is given with a drainPause of 0s, so the grace period leaves it no time to run. Fix: set shutdown.drainPause to how long the command runs, or drop drainCommand',
    ]);
  });

  test('GIVEN an empty drain command THEN synth reports CVA103', () => {
    expect(problemsOf({ ...SERVING, shutdown: { drainCommand: [] } })).toEqual([
      '[test/web] CVA103 shutdown.drainCommand is empty. Fix: give the command and its arguments, e.g. ["/busybox/sleep", "5"], or drop drainCommand',
    ]);
  });

  test('GIVEN a fraction of a second THEN synth reports CVA102: the API takes whole seconds', () => {
    expect(problemsOf({ ...SERVING, shutdown: { drainPause: Duration.millis(2500), gracePeriod: Duration.millis(40500) } })).toEqual([
      '[test/web] CVA102 shutdown.drainPause must be a whole number of seconds, got 2 seconds 500 millis. Fix: set shutdown.drainPause to e.g. Duration.seconds(3)',
      '[test/web] CVA102 shutdown.gracePeriod must be a whole number of seconds, got 40 seconds 500 millis. Fix: set shutdown.gracePeriod to e.g. Duration.seconds(41)',
    ]);
  });

  test('GIVEN a negative duration THEN cdk8s refuses to make it: no negative pause or grace period can reach a Microservice', () => {
    expect(() => Duration.seconds(-1)).toThrow('Duration amounts cannot be negative');
  });

  test('GIVEN a negative count, a fraction of a percent or more than 100% unavailable THEN synth reports CVA102', () => {
    expect(problemsOf({ ...SERVING, rollingUpdate: { maxSurge: PercentOrAbsolute.absolute(-1), maxUnavailable: PercentOrAbsolute.percent(150) } })).toEqual([
      '[test/web] CVA102 rollingUpdate.maxSurge must be a whole number of pods or a whole percentage, got -1. Fix: use e.g. PercentOrAbsolute.absolute(1) or PercentOrAbsolute.percent(25)',
      '[test/web] CVA102 rollingUpdate.maxUnavailable must be a whole number of pods or a whole percentage up to 100%, got 150%. Fix: use e.g. PercentOrAbsolute.absolute(1) or PercentOrAbsolute.percent(25)',
    ]);
    expect(problemsOf({ ...SERVING, rollingUpdate: { maxSurge: PercentOrAbsolute.percent(12.5) } })).toEqual([
      expect.stringContaining('[test/web] CVA102 rollingUpdate.maxSurge must be a whole number of pods or a whole percentage, got 12.5%'),
    ]);
  });

  test('GIVEN maxSurge and maxUnavailable both 0 THEN synth reports CVA108: no pod could ever be replaced (the API server refuses it)', () => {
    expect(problemsOf({ ...SERVING, rollingUpdate: { maxSurge: PercentOrAbsolute.percent(0) } })).toEqual([
      '[test/web] CVA108 rollingUpdate.maxSurge and maxUnavailable are both 0, so no pod could ever be replaced. Fix: keep maxUnavailable at 0 and set maxSurge to 1 or more (new pods start before old ones stop)',
    ]);
  });

  test('GIVEN bad values THEN the objects, were they written, carry them as given: what the API server would judge', () => {
    const bad = deploymentOf({ ...SERVING, shutdown: { drainPause: Duration.millis(2500) }, rollingUpdate: { maxSurge: PercentOrAbsolute.absolute(-1), maxUnavailable: PercentOrAbsolute.percent(150) } }).deployment.spec;
    expect(bad.template.spec.containers[0].lifecycle.preStop.exec.command).toEqual(['sleep', '2.5']);
    expect(bad.template.spec.terminationGracePeriodSeconds).toBe(32.5);
    expect(bad.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: -1, maxUnavailable: '150%' } });
    expect(deploymentOf({ ...SERVING, strategy: DeploymentStrategy.RECREATE, rollingUpdate: {} }).deployment.spec.strategy)
      .toEqual({ type: 'Recreate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  });

  test('GIVEN rolling-update parameters on a Recreate workload THEN synth reports CVA108 (the API server refuses them)', () => {
    expect(problemsOf({ ...SERVING, strategy: DeploymentStrategy.RECREATE, rollingUpdate: { maxSurge: PercentOrAbsolute.absolute(1) } })).toEqual([
      '[test/web] CVA108 rollingUpdate is set on a workload updated by DeploymentStrategy.RECREATE. Fix: drop rollingUpdate, or the Recreate strategy',
    ]);
  });
});
