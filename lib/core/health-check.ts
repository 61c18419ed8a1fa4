import { Duration } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { ContainerPort } from './container-port';
import { check } from './errors';
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
    check(path.startsWith('/'), `HealthCheck ${path}`, ProblemCode.INVALID_VALUE, `HTTP path "${path}" must start with "/"`, `use "/${path}"`);
    return new HealthCheck({ httpGet: { path, port: k8s.IntOrString.fromString(port.name) } }, options, port);
  }

  /** A TCP connection that must open. */
  public static tcpSocket(port: ContainerPort, options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck({ tcpSocket: { port: k8s.IntOrString.fromString(port.name) } }, options, port);
  }

  /** A command run in the container that must exit 0. */
  public static command(command: string[], options: HealthCheckOptions = {}): HealthCheck {
    check(command.length > 0 && command[0] !== '', 'HealthCheck', ProblemCode.INVALID_VALUE, 'a command health check needs a command', 'pass the command and its arguments, e.g. ["redis-cli", "ping"]');
    return new HealthCheck({ exec: { command } }, options);
  }

  private readonly failureThreshold: number;
  private readonly delay: number;
  private readonly period: number;
  private readonly timeout: number;

  private constructor(
    private readonly action: Pick<k8s.Probe, 'httpGet' | 'tcpSocket' | 'exec'>,
    options: HealthCheckOptions,
    /** The port the check connects to, if any. */
    public readonly port?: ContainerPort,
  ) {
    this.failureThreshold = options.failureThreshold ?? 3;
    check(Number.isInteger(this.failureThreshold) && this.failureThreshold >= 1, 'HealthCheck',
      ProblemCode.OUT_OF_RANGE, `failureThreshold must be a positive integer, got ${this.failureThreshold}`, 'set failureThreshold to 1 or more');
    // Probes count in whole seconds; cdk8s would refuse a fraction only when rendering.
    this.delay = seconds('initialDelay', options.initialDelay, 0, 0);
    this.period = seconds('period', options.period, 10, 1);
    this.timeout = seconds('timeout', options.timeout, 1, 1);
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

/** A probe timing in whole seconds, at least `min`. */
function seconds(what: string, duration: Duration | undefined, fallback: number, min: number): number {
  const value = duration === undefined ? fallback : duration.toSeconds({ integral: false });
  check(Number.isInteger(value) && value >= min, 'HealthCheck', ProblemCode.OUT_OF_RANGE,
    `${what} must be a whole number of seconds, at least ${min}, got ${duration?.toHumanString() ?? value}`, `set ${what} to e.g. Duration.seconds(${Math.max(min, Math.ceil(value))})`);
  return value;
}
