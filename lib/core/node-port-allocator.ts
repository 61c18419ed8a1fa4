import { NodePortRange } from './node-port-range';

/** The node port range of a default Kubernetes API server. @internal */
export const NODE_PORT_RANGE = { first: NodePortRange.DEFAULT.first, last: NodePortRange.DEFAULT.last } as const;

/**
 * Hands out node ports deterministically: lowest free first, skipping
 * reserved ones. Node ports are cluster-wide, so everything that may be
 * applied to one cluster must draw from one allocator.
 */
export class NodePortAllocator {
  private next: number;
  private readonly taken: Set<number>;

  /**
   * @param reserved node ports already in use by other charts of the cluster
   * @param nodePorts the cluster's node port range
   */
  constructor(reserved: number[] = [], private readonly nodePorts: NodePortRange = NodePortRange.DEFAULT) {
    this.taken = new Set(reserved);
    this.next = nodePorts.first;
  }

  /** How many ports are still free. */
  public get free(): number {
    let n = 0;
    for (let p = this.next; p <= this.nodePorts.last; p++) {
      n += this.taken.has(p) ? 0 : 1;
    }
    return n;
  }

  /**
   * The next `count` free ports; none when fewer are free (see {@link free}), and nothing is taken then.
   */
  public allocate(count: number): number[] {
    if (count > this.free) {
      return [];
    }
    const out: number[] = [];
    while (out.length < count) {
      if (!this.taken.has(this.next)) {
        out.push(this.next);
        this.taken.add(this.next);
      }
      this.next++;
    }
    return out;
  }
}
