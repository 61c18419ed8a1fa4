import { portFinding, present } from './checks';
import { Finding, finding } from './problem';
import { ProblemCode } from './problem-code';
import { isPortName } from './rules/names';

/** Protocols a container port can speak. */
export enum PortProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
}

/**
 * A port a container listens on.
 *
 * A Service refers to a `ContainerPort` object, never to a bare number, so
 * its `targetPort` is always a port the container declares.
 */
export class ContainerPort {
  /** A TCP port, e.g. `ContainerPort.tcp('http', 80)`. */
  public static tcp(name: string, port: number): ContainerPort {
    return new ContainerPort(name, port, PortProtocol.TCP);
  }

  /** A UDP port. */
  public static udp(name: string, port: number): ContainerPort {
    return new ContainerPort(name, port, PortProtocol.UDP);
  }

  private constructor(
    /** The port's name (an IANA_SVC_NAME: at most 15 characters). */
    public readonly name: string,
    /** The number the process listens on inside the container. */
    public readonly number: number,
    public readonly protocol: PortProtocol,
  ) {
    // Kept, not thrown: the construct that uses the port reports them, with every other problem of the App.
    this._findings = present(
      portFinding(`port ${name}`, number),
      isPortName(name) ? undefined
        : finding(ProblemCode.INVALID_NAME, `port name "${name}" is not a valid IANA service name (1-15 lower-case letters, digits and single "-", with a letter)`,
          `use a short name such as "${suggestPortName(name)}"`),
    );
  }

  /** What is wrong with the port, for the construct that uses it to report. @internal */
  public readonly _findings: readonly Finding[];

  /** Whether `other` is the same port: the same name, number and protocol (a port made twice is still one port). */
  // Not `equals`: jsii refuses that name, which Java's Object declares.
  public isSameAs(other: ContainerPort): boolean {
    return other.name === this.name && other.number === this.number && other.protocol === this.protocol;
  }
}

/** Whether `port` is one of `ports` (the same name, number and protocol). @internal */
export function includesPort(ports: readonly ContainerPort[], port: ContainerPort): boolean {
  return ports.some(p => p.isSameAs(port));
}

function suggestPortName(name: string): string {
  const words = name.toLowerCase().split(/[^a-z0-9]+/).filter(w => w !== '');
  const short = words.map(w => w.slice(0, 7)).join('-').slice(0, 15).replace(/-+$/, '');
  return /[a-z]/.test(short) ? short : 'http';
}
