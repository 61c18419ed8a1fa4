import { Duration } from 'cdk8s';
import { PercentOrAbsolute } from 'cdk8s-plus-28';
import * as k8s from '../../imports/k8s';
import { present } from './checks';
import { Finding, finding } from './problem';
import { ProblemCode } from './problem-code';

/**
 * How a workload's pods stop: drained of new connections first, then given
 * time to finish. Why these defaults: docs/reliability.md.
 */
export interface ShutdownOptions {
  /**
   * How long a stopping pod keeps serving before its process gets SIGTERM.
   * A `preStop` hook pauses this long while the EndpointSlices, every node's
   * kube-proxy and any load balancer stop sending it new connections, which
   * takes a few seconds after the pod starts terminating; without the pause
   * the process may exit while connections still arrive (refused, or timed
   * out). With `drainCommand`, how long that command may run.
   * `Duration.seconds(0)` writes no hook. Whole seconds.
   * @default - Duration.seconds(5) for a workload with a Service that is
   * updated by DeploymentStrategy.ROLLING_UPDATE, when `drainCommand` is given
   * or the image has `sleep` (`imageHasSleep`); no pause otherwise
   */
  readonly drainPause?: Duration;
  /**
   * The `preStop` command that pauses for `drainPause`, for an image without
   * `sleep` on its PATH that has another way to wait (a `sleep` at another
   * path, or the program's own drain command).
   * @default - ['sleep', '<drainPause in seconds>'] when `imageHasSleep`; none otherwise
   */
  readonly drainCommand?: string[];
  /**
   * Whether the image has a `sleep` program on its PATH, which the default
   * `preStop` hook runs. Images built FROM scratch and distroless ones have
   * none (`hashicorp/http-echo`, most static Go binaries): set false, and they
   * get no pause unless `drainCommand` gives one (a hook whose program is
   * missing fails, and the kubelet stops the process at once). Kubernetes
   * 1.29 added a `sleep` hook that needs no program; this library writes the
   * 1.28 API.
   * @default true
   */
  readonly imageHasSleep?: boolean;
  /**
   * The pod's termination grace period (`terminationGracePeriodSeconds`): from
   * the start of the drain pause until the kubelet kills the process. What is
   * left after the pause is the time the process has, after SIGTERM, to finish
   * what it is doing and exit; so it must be longer than `drainPause`. Whole seconds.
   * @default - `drainPause` plus 30 s (the 30 s Kubernetes gives a process by
   * default); Kubernetes' 30 s when there is no pause
   */
  readonly gracePeriod?: Duration;
}

/** How a Deployment updated by DeploymentStrategy.ROLLING_UPDATE replaces its pods. */
export interface RollingUpdateOptions {
  /**
   * How many pods above the desired count may run during an update: new pods
   * start before old ones stop. A percentage is of the desired count, rounded up.
   * @default PercentOrAbsolute.percent(25) (one pod for up to 4 replicas)
   */
  readonly maxSurge?: PercentOrAbsolute;
  /**
   * How many of the desired pods may be unavailable during an update. Above
   * 0, old pods stop before their replacements are ready, and fewer serve
   * meanwhile (Kubernetes' own default is 25%). A percentage is rounded down.
   * @default PercentOrAbsolute.absolute(0)
   */
  readonly maxUnavailable?: PercentOrAbsolute;
}

/** The drain pause a serving, rolling workload gets unless its props say otherwise, in seconds. @internal */
export const DEFAULT_DRAIN_PAUSE_SECONDS = 5;
/** What the process gets after SIGTERM unless `gracePeriod` says otherwise: Kubernetes' own default grace. @internal */
export const DEFAULT_STOP_SECONDS = 30;

/** A workload's stopping, as written: the hook, the grace period, and what is wrong with the options. @internal */
export interface ShutdownPlan {
  readonly preStop?: k8s.LifecycleHandler;
  readonly gracePeriodSeconds?: number;
  readonly findings: Finding[];
}

/**
 * Works out the `preStop` hook and grace period of a workload.
 * @param drainsByDefault whether the workload serves through a Service and rolls, so it pauses unless told otherwise
 * @internal
 */
export function planShutdown(options: ShutdownOptions, drainsByDefault: boolean): ShutdownPlan {
  const imageHasSleep = options.imageHasSleep ?? true;
  const command = options.drainCommand;
  const pause = wholeSeconds('shutdown.drainPause', options.drainPause);
  const grace = wholeSeconds('shutdown.gracePeriod', options.gracePeriod);
  const findings = present(pause.finding, grace.finding,
    command !== undefined && command.length === 0
      ? finding(ProblemCode.INVALID_VALUE, 'shutdown.drainCommand is empty', 'give the command and its arguments, e.g. ["/busybox/sleep", "5"], or drop drainCommand')
      : undefined);
  // A command given asks for a hook wherever the workload is; otherwise only a serving, rolling one pauses.
  const pauseSeconds = pause.value ?? (command !== undefined || (drainsByDefault && imageHasSleep) ? DEFAULT_DRAIN_PAUSE_SECONDS : 0);
  const hook = pauseSeconds === 0 ? undefined : command ?? (imageHasSleep ? ['sleep', String(pauseSeconds)] : undefined);
  if (pauseSeconds > 0 && hook === undefined) {
    findings.push(finding(ProblemCode.SHUTDOWN, `shutdown.drainPause is ${pauseSeconds}s, but imageHasSleep is false and no drainCommand is given, so nothing can pause`,
      'give shutdown.drainCommand (a sleep at another path, e.g. ["/busybox/sleep", "5"], or the program\'s own drain command), or set drainPause: Duration.seconds(0)'));
  }
  if (pauseSeconds === 0 && command !== undefined && command.length > 0) {
    findings.push(finding(ProblemCode.SHUTDOWN, 'shutdown.drainCommand is given with a drainPause of 0s, so the grace period leaves it no time to run',
      'set shutdown.drainPause to how long the command runs, or drop drainCommand'));
  }
  if (pauseSeconds > 0 && grace.value !== undefined && grace.value <= pauseSeconds) {
    findings.push(finding(ProblemCode.SHUTDOWN,
      `shutdown.gracePeriod (${grace.value}s) is not longer than drainPause (${pauseSeconds}s): the kubelet kills the process about 2s after its SIGTERM, in the middle of its shutdown`,
      `set gracePeriod to drainPause plus the time the process needs to stop, e.g. Duration.seconds(${pauseSeconds + DEFAULT_STOP_SECONDS})`));
  }
  return {
    preStop: hook !== undefined && hook.length > 0 ? { exec: { command: [...hook] } } : undefined,
    gracePeriodSeconds: grace.value ?? (hook !== undefined && pauseSeconds > 0 ? pauseSeconds + DEFAULT_STOP_SECONDS : undefined),
    findings,
  };
}

/** The rolling-update parameters as written, and what is wrong with them. @internal */
export function planRollingUpdate(options: RollingUpdateOptions): { rollingUpdate: k8s.RollingUpdateDeployment; findings: Finding[] } {
  const surge = amount('rollingUpdate.maxSurge', options.maxSurge ?? PercentOrAbsolute.percent(25), false);
  const unavailable = amount('rollingUpdate.maxUnavailable', options.maxUnavailable ?? PercentOrAbsolute.absolute(0), true);
  const findings = present(surge.finding, unavailable.finding);
  // The API server refuses both at 0: no pod could ever be replaced.
  if (surge.zero && unavailable.zero) {
    findings.push(finding(ProblemCode.CONFLICTING_SETTINGS, 'rollingUpdate.maxSurge and maxUnavailable are both 0, so no pod could ever be replaced',
      'keep maxUnavailable at 0 and set maxSurge to 1 or more (new pods start before old ones stop)'));
  }
  return { rollingUpdate: { maxSurge: surge.value, maxUnavailable: unavailable.value }, findings };
}

/**
 * A duration in seconds, with the finding that it is no whole number of them. The value is
 * kept as given (written as such, where the API server refuses it too, should anything write it).
 */
function wholeSeconds(what: string, duration: Duration | undefined): { value?: number; finding?: Finding } {
  if (duration === undefined) {
    return {};
  }
  // cdk8s's Duration cannot be negative; a fraction would be refused only when rendering.
  const seconds = duration.toSeconds({ integral: false });
  return Number.isInteger(seconds) ? { value: seconds } : {
    value: seconds,
    finding: finding(ProblemCode.OUT_OF_RANGE, `${what} must be a whole number of seconds, got ${duration.toHumanString()}`,
      `set ${what} to e.g. Duration.seconds(${Math.ceil(seconds)})`),
  };
}

/**
 * A count or percentage of pods as the API takes it: a non-negative integer, or `N%` (at most
 * 100% where `capped`). The value is kept as given, as the API server would see it.
 */
function amount(what: string, value: PercentOrAbsolute, capped: boolean): { value: k8s.IntOrString; zero: boolean; finding?: Finding } {
  const raw: unknown = value.value;
  const percent = typeof raw === 'string' && raw.endsWith('%');
  const n = typeof raw === 'number' ? raw : percent ? Number(raw.slice(0, -1)) : NaN;
  const written = typeof raw === 'number' ? k8s.IntOrString.fromNumber(raw) : k8s.IntOrString.fromString(String(raw));
  const max = percent && capped ? 100 : Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(n) || n < 0 || n > max) {
    return {
      value: written,
      zero: false,
      finding: finding(ProblemCode.OUT_OF_RANGE, `${what} must be a whole number of pods or a whole percentage${capped ? ' up to 100%' : ''}, got ${String(raw)}`,
        `use e.g. PercentOrAbsolute.absolute(1) or PercentOrAbsolute.percent(25)`),
    };
  }
  return { value: written, zero: n === 0 };
}
