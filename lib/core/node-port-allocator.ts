import { Finding, finding } from './problem';
import { ProblemCode } from './problem-code';
import { NodePortRange } from './node-port-range';

/** The node port range of a default Kubernetes API server. */
export const NODE_PORT_RANGE = { first: NodePortRange.DEFAULT.first, last: NodePortRange.DEFAULT.last } as const;

/**
 * Hands out node ports deterministically: lowest free first, skipping
 * reserved ones. Node ports are cluster-wide, so everything that may be
 * applied to one cluster must draw from one allocator.
 */
export class NodePortAllocator {
  private next: number;
  private readonly taken: Set<number>;

  /** @param reserved node ports already in use by other charts of the cluster */
  constructor(reserved: number[] = [], private readonly range: NodePortRange = NodePortRange.DEFAULT) {
    this.taken = new Set(reserved);
    this.next = range.first;
  }

  /** How many ports are still free. */
  public get free(): number {
    let n = 0;
    for (let p = this.next; p <= this.range.last; p++) {
      n += this.taken.has(p) ? 0 : 1;
    }
    return n;
  }

  /**
   * The next `count` free ports, or the finding that there are not so many.
   */
  public allocate(count: number): { ports?: number[]; finding?: Finding } {
    const free = this.free;
    if (count > free) {
      return {
        finding: finding(ProblemCode.NODE_PORT, `needs ${count} node ports but only ${free} of ${this.range} are free`,
          'use fewer tenants, expose them with LoadBalancer or ClusterIP (no node port), or split them across clusters'),
      };
    }
    const out: number[] = [];
    while (out.length < count) {
      if (!this.taken.has(this.next)) {
        out.push(this.next);
        this.taken.add(this.next);
      }
      this.next++;
    }
    return { ports: out };
  }
}
