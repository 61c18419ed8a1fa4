import { NodePortRange } from '../node-port-range';

// Node ports: a cluster-wide resource, drawn from the API server's range.

/** Why a Service port cannot have the node port it asks for. */
export type NodePortProblem<O> =
  | { readonly problem: 'out-of-range'; readonly range: NodePortRange }
  | { readonly problem: 'taken'; readonly by: O }
  | { readonly problem: 'repeated'; readonly protocol: string };

/**
 * The node ports claimed so far. Node ports are cluster-wide, so one port
 * claimed by two Services (in any namespaces) is a conflict: the API server
 * refuses the second. Within one Service, a node port may serve one port
 * per protocol (53/TCP and 53/UDP), as the API server's validation allows.
 */
export class NodePortClaims<O> {
  private readonly owners = new Map<number, { readonly owner: O; readonly protocols: Set<string> }>();

  constructor(public readonly range: NodePortRange = NodePortRange.DEFAULT) {}

  /**
   * Claims `port` for `owner`'s `protocol` port; the problem when it is outside the range,
   * claimed by another owner already (the first claim keeps it), or claimed by this owner
   * for this protocol before.
   */
  public claim(port: number, owner: O, protocol = 'TCP'): NodePortProblem<O> | undefined {
    if (!this.range.includes(port)) {
      return { problem: 'out-of-range', range: this.range };
    }
    const claimed = this.owners.get(port);
    if (claimed === undefined) {
      this.owners.set(port, { owner, protocols: new Set([protocol]) });
      return undefined;
    }
    if (claimed.owner !== owner) {
      return { problem: 'taken', by: claimed.owner };
    }
    if (claimed.protocols.has(protocol)) {
      return { problem: 'repeated', protocol };
    }
    claimed.protocols.add(protocol);
    return undefined;
  }
}
