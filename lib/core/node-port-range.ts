import { IConstruct } from 'constructs';
import { integerFinding, present } from './checks';
import { Finding, finding } from './problem';
import { Problems } from './problems';
import { ProblemCode } from './problem-code';

const CONTEXT_KEY = 'cdk8s-voting-app:nodePortRange';

/**
 * The node ports the cluster's API server hands out (its
 * `--service-node-port-range`). Services with a fixed node port and the
 * fleet's allocation are checked against it.
 */
export class NodePortRange {
  /** What a Kubernetes API server uses unless told otherwise. */
  public static readonly DEFAULT = new NodePortRange(30000, 32767);

  /** A range from `first` to `last`, both included, e.g. `NodePortRange.of(20000, 22767)`. */
  public static of(first: number, last: number): NodePortRange {
    return new NodePortRange(first, last);
  }

  /**
   * Sets the range for everything in `app`, for a cluster that changed it.
   * Call it before adding charts (construct context must be set first).
   */
  public static configure(app: IConstruct, nodePorts: NodePortRange): void {
    app.node.setContext(CONTEXT_KEY, { first: nodePorts.first, last: nodePorts.last });
    Problems.of(app)._adopt(nodePorts);
  }

  /** The range in force for `scope`: the one configured on its App, else {@link DEFAULT}. */
  public static forScope(scope: IConstruct): NodePortRange {
    const set = scope.node.tryGetContext(CONTEXT_KEY) as { first: number; last: number } | undefined;
    return set === undefined ? NodePortRange.DEFAULT : new NodePortRange(set.first, set.last);
  }

  private constructor(
    /** The lowest node port. */
    public readonly first: number,
    /** The highest node port. */
    public readonly last: number,
  ) {
    this._findings = present(
      integerFinding('first node port of NodePortRange', first, 1, 65535),
      integerFinding('last node port of NodePortRange', last, 1, 65535),
      first <= last ? undefined : finding(ProblemCode.OUT_OF_RANGE, `the NodePortRange ${first}-${last} is empty`, 'give the lower port first'),
    );
  }

  /** What is wrong with the range, for the App it is configured on to report. @internal */
  public readonly _findings: readonly Finding[];

  /** Whether `port` is a node port of this range. */
  public includes(port: number): boolean {
    return Number.isInteger(port) && port >= this.first && port <= this.last;
  }

  /** `first-last`, as the API server flag writes it. */
  public toString(): string {
    return `${this.first}-${this.last}`;
  }
}
