import { Duration } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { ContainerPort } from './container-port';
import { present } from './checks';
import { Finding, finding } from './problem';
import { ProblemCode } from './problem-code';

/** Timing of a health check. */
export interface HealthCheckOptions {
  /**
   * Wait before the first check.
   * @default Duration.seconds(0)
   */
  readonly initialDelay?: Duration;
  /**
   * Time between checks.
   * @default Duration.seconds(10)
   */
  readonly period?: Duration;
  /**
   * How long one check may take.
   * @default Duration.seconds(1)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive failures before the check counts as failed.
   * @default 3
   */
  readonly failureThreshold?: number;
}

/**
 * A readiness, liveness or startup probe. Port-based checks take the
 * {@link ContainerPort} object, so they cannot probe a port nobody listens on.
 */
export class HealthCheck {
  /** An HTTP GET that must answer 200-399. */
  public static httpGet(path: string, port: ContainerPort, options: HealthCheckOptions = {}): HealthCheck {
    const bad = path.startsWith('/') ? undefined : finding(ProblemCode.INVALID_VALUE, `health check HTTP path "${path}" must start with "/"`, `use "/${path}"`);
    return new HealthCheck({ httpGet: { path, port: k8s.IntOrString.fromString(port.name) } }, options, port, bad);
  }

  /** A TCP connection that must open. */
  public static tcpSocket(port: ContainerPort, options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck({ tcpSocket: { port: k8s.IntOrString.fromString(port.name) } }, options, port);
  }

  /** A command run in the container that must exit 0. */
  public static command(command: string[], options: HealthCheckOptions = {}): HealthCheck {
    const bad = command.length > 0 && command[0] !== '' ? undefined
      : finding(ProblemCode.INVALID_VALUE, 'a command health check needs a command', 'pass the command and its arguments, e.g. ["redis-cli", "ping"]');
    return new HealthCheck({ exec: { command } }, options, undefined, bad);
  }

  /** How the check reaches its port, for messages: `makes an HTTP request` or `opens a TCP connection`. @internal */
  public get _action(): string {
    return this.action.httpGet ? 'makes an HTTP request' : 'opens a TCP connection';
  }

  /** What is wrong with the check, for the construct that uses it to report. @internal */
  public readonly _findings: readonly Finding[];
  private readonly failureThreshold: number;
  private readonly delay: number;
  private readonly period: number;
  private readonly timeout: number;

  private constructor(
    private readonly action: Pick<k8s.Probe, 'httpGet' | 'tcpSocket' | 'exec'>,
    options: HealthCheckOptions,
    /** The port the check connects to, if any. */
    public readonly port?: ContainerPort,
    bad?: Finding,
  ) {
    this.failureThreshold = options.failureThreshold ?? 3;
    // Probes count in whole seconds; cdk8s would refuse a fraction only when rendering.
    const delay = seconds('initialDelay', options.initialDelay, 0, 0);
    const period = seconds('period', options.period, 10, 1);
    const timeout = seconds('timeout', options.timeout, 1, 1);
    this.delay = delay.value;
    this.period = period.value;
    this.timeout = timeout.value;
    this._findings = present(bad,
      Number.isInteger(this.failureThreshold) && this.failureThreshold >= 1 ? undefined
        : finding(ProblemCode.OUT_OF_RANGE, `health check failureThreshold must be a positive integer, got ${this.failureThreshold}`, 'set failureThreshold to 1 or more'),
      delay.finding, period.finding, timeout.finding);
  }

  /** @internal */
  public _toKube(): k8s.Probe {
    const delay = this.delay;
    return {
      // Named, not spread: V8 builds an object spread several times slower, and every container has probes.
      httpGet: this.action.httpGet,
      tcpSocket: this.action.tcpSocket,
      exec: this.action.exec,
      // The API server drops a zero delay, so writing 0 would make every
      // re-apply report the probe as changed.
      initialDelaySeconds: delay > 0 ? delay : undefined,
      periodSeconds: this.period,
      timeoutSeconds: this.timeout,
      failureThreshold: this.failureThreshold,
    };
  }
}

/** A probe timing in whole seconds, at least `min`; the fallback where it is not one. */
function seconds(what: string, duration: Duration | undefined, fallback: number, min: number): { value: number; finding?: Finding } {
  const value = duration === undefined ? fallback : duration.toSeconds({ integral: false });
  return Number.isInteger(value) && value >= min ? { value } : {
    value: fallback,
    finding: finding(ProblemCode.OUT_OF_RANGE, `health check ${what} must be a whole number of seconds, at least ${min}, got ${duration?.toHumanString() ?? value}`,
      `set ${what} to e.g. Duration.seconds(${Math.max(min, Math.ceil(value))})`),
  };
}
