import { NodePortRange } from '../../core/node-port-range';

// Node ports: a cluster-wide resource, drawn from the API server's range.

/** Why a Service port cannot have the node port it asks for. */
export type NodePortProblem<O> = { readonly problem: 'out-of-range'; readonly range: NodePortRange } | { readonly problem: 'taken'; readonly by: O };

/**
 * The node ports claimed so far. Node ports are cluster-wide, so one port
 * claimed twice (in any namespaces) is a conflict: the API server refuses
 * the second Service.
 */
export class NodePortClaims<O> {
  private readonly owners = new Map<number, O>();

  constructor(public readonly range: NodePortRange = NodePortRange.DEFAULT) {}

  /** Claims `port` for `owner`; the problem when it is outside the range or claimed already (the first claim keeps it). */
  public claim(port: number, owner: O): NodePortProblem<O> | undefined {
    if (!this.range.includes(port)) {
      return { problem: 'out-of-range', range: this.range };
    }
    const by = this.owners.get(port);
    if (by !== undefined) {
      return { problem: 'taken', by };
    }
    this.owners.set(port, owner);
    return undefined;
  }
}
