import { IConstruct } from 'constructs';
import { ContainerPort, PortProtocol } from './container-port';
import { nameFinding, present } from './checks';
import { Finding, finding } from './problem';
import { Problems } from './problems';
import { ProblemCode } from './problem-code';

const CONTEXT_KEY = 'cdk8s-voting-app:clusterDns';

/** Props of {@link ClusterDns.of}. */
export interface ClusterDnsProps {
  /**
   * The namespace the DNS pods run in.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * Labels of the DNS pods.
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * The container ports the DNS pods listen on: what a NetworkPolicy sees,
   * after the DNS Service has forwarded port 53 to them. At least one UDP port.
   * @default - dns 53/UDP and dns-tcp 53/TCP
   */
  readonly ports?: ContainerPort[];
}

/**
 * The cluster's DNS pods, which a client asks for the address of a Service
 * name. Synth checks that egress NetworkPolicies selecting a client of a
 * declared connection let it reach them. The default is how kubeadm, kind,
 * minikube, k3s and the managed clusters label CoreDNS; set another with
 * {@link ClusterDns.configure} (for example OpenShift's, on port 5353).
 */
export class ClusterDns {
  /** CoreDNS (or kube-dns) as most clusters run it: `k8s-app=kube-dns` in `kube-system`, on 53/UDP and 53/TCP. */
  public static readonly DEFAULT = new ClusterDns('kube-system', { 'k8s-app': 'kube-dns' }, [ContainerPort.udp('dns', 53), ContainerPort.tcp('dns-tcp', 53)]);

  /** The DNS pods of a cluster that runs them otherwise. */
  public static of(props: ClusterDnsProps): ClusterDns {
    return new ClusterDns(props.namespace ?? ClusterDns.DEFAULT.namespace, props.podLabels ?? ClusterDns.DEFAULT.podLabels, props.ports ?? ClusterDns.DEFAULT.ports);
  }

  /**
   * Sets the DNS pods for everything in `app`, for a cluster that runs them
   * otherwise. Call it before adding charts (construct context must be set first).
   */
  public static configure(app: IConstruct, dns: ClusterDns): void {
    app.node.setContext(CONTEXT_KEY, {
      namespace: dns.namespace,
      podLabels: dns.podLabels,
      ports: dns.ports.map(p => ({ name: p.name, number: p.number, protocol: p.protocol })),
    });
    Problems.of(app)._adopt(dns);
  }

  /** The DNS pods in force for `scope`: those configured on its App, else {@link DEFAULT}. */
  public static forScope(scope: IConstruct): ClusterDns {
    const set = scope.node.tryGetContext(CONTEXT_KEY) as { namespace: string; podLabels: { [key: string]: string }; ports: Array<{ name: string; number: number; protocol: string }> } | undefined;
    return set === undefined ? ClusterDns.DEFAULT : new ClusterDns(set.namespace, set.podLabels,
      set.ports.map(p => (p.protocol === PortProtocol.UDP ? ContainerPort.udp(p.name, p.number) : ContainerPort.tcp(p.name, p.number))));
  }

  private constructor(
    /** The namespace of the DNS pods. */
    public readonly namespace: string,
    /** Labels of the DNS pods. */
    public readonly podLabels: { [key: string]: string },
    /** The container ports they listen on. */
    public readonly ports: ContainerPort[],
  ) {
    this._findings = [
      ...present(
        nameFinding('namespace of ClusterDns', namespace),
        Object.keys(podLabels).length > 0 ? undefined : finding(ProblemCode.MISSING_SETTING, 'the podLabels of ClusterDns are empty, which would stand for every pod of the namespace',
          'give the labels of the DNS pods, e.g. { "k8s-app": "kube-dns" }'),
        ports.some(p => p.protocol === PortProtocol.UDP) ? undefined : finding(ProblemCode.MISSING_SETTING, 'ClusterDns has no UDP port, and resolvers ask over UDP first',
          'add the UDP port the DNS pods listen on, e.g. ContainerPort.udp("dns", 53)'),
      ),
      ...ports.flatMap(p => p._findings),
    ];
  }

  /** What is wrong with the DNS pods' description, for the App it is configured on to report. @internal */
  public readonly _findings: readonly Finding[];

  /** `k8s-app=kube-dns in namespace kube-system`. */
  public toString(): string {
    return `${Object.entries(this.podLabels).map(([k, v]) => `${k}=${v}`).join(',')} in namespace ${this.namespace}`;
  }
}
