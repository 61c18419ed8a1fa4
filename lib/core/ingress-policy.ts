import { ApiObject, Lazy } from 'cdk8s';
import { KubeNetworkPolicy } from './kube-objects';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { Connection } from './connection';
import { ContainerPort, includesPort } from './container-port';
import { Problems } from './problems';
import { NAMESPACE_NAME_LABEL } from './labels';
import { ProblemCode } from './problem-code';
import { checkInTargetNamespace, IWorkload } from './workload';

/** Props of {@link IngressPolicy}. */
export interface IngressPolicyProps {
  /** The workload whose incoming connections are limited. */
  readonly target: IWorkload;
  /**
   * The only workloads allowed to connect, on every port of `ports`; they may
   * live in other namespaces.
   * @default - the workloads with a {@link Connection} to the target, on the
   * ports of each connection (nobody, when there is none)
   */
  readonly clients?: IWorkload[];
  /**
   * Allow every source (other pods, nodes, outside clients) on `ports`:
   * for front ends behind a NodePort or LoadBalancer. Excludes `clients`.
   * @default false
   */
  readonly fromAnywhere?: boolean;
  /**
   * Ports they may connect to (at least one); with clients from connections,
   * each connection is admitted on those of its ports listed here (synth
   * reports the others).
   * @default - every port of the target
   */
  readonly ports?: ContainerPort[];
  /**
   * Name of the NetworkPolicy.
   * @default - `<target>-ingress`
   */
  readonly name?: string;
}

/**
 * A named NetworkPolicy that lets only the given workloads connect to a
 * target. It restricts ingress only and never egress, so no pod loses DNS
 * (unlike cdk8s-plus `connections.allowFrom`, which also writes egress rules).
 *
 * Without `clients`, it admits the {@link Connection}s declared to the target,
 * including those declared after the policy: the connections are the one
 * statement of who talks to whom, and the policy is derived from them.
 */
// The policy written for each target, and the workloads whose policy follows from their connections.
const policies = new WeakMap<IWorkload, IngressPolicy>();
const derivable = new WeakMap<IWorkload, Construct>();

/**
 * Lets the connections declared to `target` protect it: the first one writes
 * an IngressPolicy under `scope` that admits exactly them, unless an explicit
 * one is made for the target (before or after). @internal
 */
export function derivesIngressPolicy(target: IWorkload, scope: Construct): void {
  derivable.set(target, scope);
}

/** Writes the policy derived from the connections to `server`, if it takes one and has none yet. @internal */
export function deriveIngressPolicy(server: IWorkload): void {
  const scope = derivable.get(server);
  if (scope !== undefined && !policies.has(server)) {
    policies.set(server, new IngressPolicy(scope, 'IngressPolicy', { target: server }));
  }
}

export class IngressPolicy extends Construct {
  /** The NetworkPolicy. */
  public readonly policy: ApiObject;

  private readonly target: IWorkload;
  private readonly found: Problems;

  constructor(scope: Construct, id: string, props: IngressPolicyProps) {
    super(scope, id);
    const { target } = props;
    this.target = target;
    // An explicit policy takes the place of the one derived from the connections.
    const derived = policies.get(target);
    if (derived !== undefined && derivable.get(target)?.node.tryFindChild('IngressPolicy') === derived) {
      derivable.get(target)!.node.tryRemoveChild('IngressPolicy');
    }
    policies.set(target, this);
    this.found = Problems.of(this);
    checkInTargetNamespace(this.found, this, target, 'NetworkPolicy');
    // An empty list would mean "no port" to a reader but "every port" to a rule without ports.
    // Reported, it then stands for the target's ports, so connections are not reported again.
    const ports = props.ports !== undefined && props.ports.length > 0 ? props.ports : [...target.ports];
    // Messages are built only for a failed check (here and below): a fleet makes thousands of policies.
    if (props.ports !== undefined && props.ports.length === 0) {
      this.found.report(ProblemCode.INVALID_VALUE, 'ports is an empty list, which reads as no port but would leave the rule open on every port',
        `list the ports to allow, leave ports unset for every port of ${target.name}, or leave out the IngressPolicy`);
    }
    this.found._adoptAll(props.ports ?? []);
    for (const port of ports) {
      this.checkPortOfTarget(port);
    }
    this.found.check(!(props.fromAnywhere && props.clients !== undefined), ProblemCode.CONFLICTING_SETTINGS, 'both fromAnywhere and clients are set', 'use one of them');
    if (!props.fromAnywhere) {
      this.found._later(() => this.clientsOf(props.clients, ports).forEach(({ client }) => this.checkNamespaceKnown(client)));
    }
    const labels = target.podLabels;
    this.policy = new KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name ?? `${target.name}-ingress`, namespace: target.namespace, labels },
      spec: {
        podSelector: { matchLabels: target.podSelector },
        policyTypes: ['Ingress'],
        ingress: props.fromAnywhere
          ? [{ ports: this.policyPorts(ports) }]
          : Lazy.any({ produce: () => this.rules(props.clients, ports) }),
      },
    });
  }

  /** The ingress rules: one per distinct set of ports, in the order the clients come. */
  private rules(clients: IWorkload[] | undefined, ports: ContainerPort[]): k8s.NetworkPolicyIngressRule[] | undefined {
    const byPorts = new Map<string, { ports: ContainerPort[]; peers: k8s.NetworkPolicyPeer[] }>();
    for (const { client, ports: clientPorts } of this.clientsOf(clients, ports)) {
      const key = clientPorts.map(p => `${p.number}/${p.protocol}`).join(',');
      const rule = byPorts.get(key) ?? { ports: clientPorts, peers: [] };
      byPorts.set(key, rule);
      const peer = this.peer(client);
      if (peer) {
        rule.peers.push(peer);
      }
    }
    // Deny all: policyTypes [Ingress] with no rules. An empty list would be
    // dropped by the API server and re-sent on every apply.
    const rules = [...byPorts.values()].filter(r => r.peers.length > 0);
    return rules.length === 0 ? undefined : rules.map(r => ({ from: r.peers, ports: this.policyPorts(r.ports) }));
  }

  /** Who may connect, on which ports. */
  private clientsOf(clients: IWorkload[] | undefined, ports: ContainerPort[]): Array<{ client: IWorkload; ports: ContainerPort[] }> {
    if (clients !== undefined) {
      return clients.map(client => ({ client, ports }));
    }
    // A connection is admitted on those of its ports the policy allows; one with
    // none left is not admitted at all (a rule without ports would admit every port).
    return Connection.declaredTo(this.target)
      .map(c => ({ client: c.client, ports: c.ports.filter(p => includesPort(ports, p)) }))
      .filter(c => c.ports.length > 0);
  }

  private checkNamespaceKnown(client: IWorkload): void {
    const ns = this.target.namespace;
    if (client.namespace === ns || (client.namespace !== undefined && ns !== undefined)) {
      return;
    }
    this.found.report(ProblemCode.NAMESPACE_UNKNOWN, `${client.name} is in ${client.namespace === undefined ? 'no set namespace' : `namespace "${client.namespace}"`} but ${this.target.name} in ${ns === undefined ? 'no set namespace' : `namespace "${ns}"`}, so the policy cannot tell where the client's pods run`,
      `set the namespace of ${client.namespace === undefined ? client.name : this.target.name} (on the workload or its Chart)`);
  }

  /** The pods of `client`: in the policy's namespace by pod selector alone, elsewhere with a namespace selector too. */
  private peer(client: IWorkload): k8s.NetworkPolicyPeer | undefined {
    const ns = this.target.namespace;
    if (client.namespace === ns) {
      return { podSelector: { matchLabels: client.podSelector } };
    }
    if (client.namespace === undefined || ns === undefined) {
      return undefined; // reported by the validation
    }
    return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: client.namespace } }, podSelector: { matchLabels: client.podSelector } };
  }

  private policyPorts(ports: ContainerPort[]): k8s.NetworkPolicyPort[] | undefined {
    // A target without ports: no ports field (all ports), never `ports: []`, which the API
    // server drops, so every apply would report a change.
    return ports.length === 0 ? undefined : ports.map(p => ({ port: k8s.IntOrString.fromNumber(p.number), protocol: p.protocol }));
  }

  private checkPortOfTarget(port: ContainerPort): void {
    if (!includesPort(this.target.ports, port)) {
      this.found.report(ProblemCode.UNDECLARED_PORT, `port ${port.name} (${port.number}) is not a port of ${this.target.name}`,
        `use one of: ${this.target.ports.map(p => `${p.name} (${p.number})`).join(', ') || 'none declared'}`);
    }
  }
}
