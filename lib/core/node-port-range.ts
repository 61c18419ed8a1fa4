import { check, checkInteger } from './errors';

/**
 * The node ports the cluster's API server hands out (its
 * `--service-node-port-range`). One value object serves the props checks,
 * the synth checks and the diagram, so they cannot disagree on the range.
 */
export class NodePortRange {
  /** What a Kubernetes API server uses unless told otherwise. */
  public static readonly DEFAULT = new NodePortRange(30000, 32767);

  /** A range from `first` to `last`, both included, e.g. `NodePortRange.of(20000, 22767)`. */
  public static of(first: number, last: number): NodePortRange {
    return new NodePortRange(first, last);
  }

  private constructor(
    /** The lowest node port. */
    public readonly first: number,
    /** The highest node port. */
    public readonly last: number,
  ) {
    checkInteger('NodePortRange', 'first node port', first, 1, 65535);
    checkInteger('NodePortRange', 'last node port', last, 1, 65535);
    check(first <= last, 'NodePortRange', `the range ${first}-${last} is empty`, 'give the lower port first');
  }

  /** Whether `port` is a node port of this range. */
  public includes(port: number): boolean {
    return Number.isInteger(port) && port >= this.first && port <= this.last;
  }

  /** `first-last`, as the API server flag writes it. */
  public toString(): string {
    return `${this.first}-${this.last}`;
  }
}
