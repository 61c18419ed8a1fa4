import { ServiceType } from 'cdk8s-plus-28';
import { ContainerPort } from './container-port';
import { portFinding, present } from './checks';
import { Finding } from './problem';
import { MicroserviceServiceOptions } from './microservice';

/**
 * How a web front end is reached from outside the cluster: the Service type
 * and the ports that go with it.
 */
export class Exposure {
  /**
   * On every node's IP at `nodePort`, and in the cluster at `port`.
   * @param nodePort fixed node port, in the cluster's {@link NodePortRange}; omit it to let Kubernetes pick a free one
   */
  public static nodePort(port: number, nodePort?: number): Exposure {
    // The range is the cluster's, checked by the Service that uses it.
    return new Exposure(ServiceType.NODE_PORT, port, nodePort);
  }

  /** Through a cloud load balancer at `port` (the production way on a cloud). */
  public static loadBalancer(port: number): Exposure {
    return new Exposure(ServiceType.LOAD_BALANCER, port);
  }

  /** Inside the cluster only, at `port` (reach it with `kubectl port-forward` or an Ingress). */
  public static clusterIp(port: number): Exposure {
    return new Exposure(ServiceType.CLUSTER_IP, port);
  }

  private constructor(
    /** The Service type. */
    public readonly serviceType: ServiceType,
    /** The Service port. */
    public readonly port: number,
    /** The fixed node port, if any. */
    public readonly fixedNodePort?: number,
  ) {
    this._findings = present(portFinding(`${serviceType} exposure port`, port),
      fixedNodePort === undefined ? undefined : portFinding('node port of Exposure.nodePort', fixedNodePort));
  }

  /** What is wrong with the exposure, for the construct that uses it to report. @internal */
  public readonly _findings: readonly Finding[];

  /** The Service options forwarding this exposure to `target`. */
  public toServiceOptions(target: ContainerPort, stickySessions = false): MicroserviceServiceOptions {
    return { type: this.serviceType, ports: [{ port: this.port, target, nodePort: this.fixedNodePort }], stickySessions };
  }
}
