/**
 * The stable code of a kind of problem the library reports, e.g. `CVA201`
 * for a Service whose selector matches no pod. Every message starts with
 * its code after the construct path (`[path] CVA201 ...`), so a test, a CI
 * filter or a search can name a problem without matching its wording,
 * which may change. Codes are never reused for another kind of problem.
 *
 * CVA1xx: a value or a setting of a construct; CVA2xx: how objects refer to
 * each other (selectors, ports, references, node ports, connections).
 */
export class ProblemCode {
  /** CVA101: a name, key, namespace or label is not what Kubernetes accepts (DNS label, IANA port name, Secret key). */
  public static readonly INVALID_NAME = new ProblemCode('CVA101', 'invalid-name');

  /** CVA102: a number is outside its allowed range (ports, replicas, thresholds, sizes, tenants). */
  public static readonly OUT_OF_RANGE = new ProblemCode('CVA102', 'out-of-range');

  /** CVA103: a value has the wrong form (an image with spaces, a relative path, an IP address as a host name, an empty password). */
  public static readonly INVALID_VALUE = new ProblemCode('CVA103', 'invalid-value');

  /** CVA104: an image has no tag or digest, or the moving tag `latest` without `allowLatestTag`. */
  public static readonly UNPINNED_IMAGE = new ProblemCode('CVA104', 'unpinned-image');

  /** CVA105: an env var whose name says password, secret or token has a literal value instead of a Secret reference. */
  public static readonly CREDENTIAL_IN_LITERAL = new ProblemCode('CVA105', 'credential-in-literal');

  /** CVA106: container resources lack a CPU request, a memory request or a memory limit, or a request is above its limit. */
  public static readonly RESOURCES = new ProblemCode('CVA106', 'resources');

  /** CVA107: something that must be unique is used twice (an object name, a port, a Secret key, an output file, a connection). */
  public static readonly DUPLICATE = new ProblemCode('CVA107', 'duplicate');

  /** CVA108: settings that exclude each other are set together (e.g. a node port on a ClusterIP Service, two autoscalers on one workload). */
  public static readonly CONFLICTING_SETTINGS = new ProblemCode('CVA108', 'conflicting-settings');

  /** CVA109: a setting the construct needs is missing (credentials for the database, ports for a Service or for a connection's target). */
  public static readonly MISSING_SETTING = new ProblemCode('CVA109', 'missing-setting');

  /** CVA201: a Service's selector matches no pod template in its namespace, so it routes nowhere. */
  public static readonly SELECTOR_MATCHES_NOTHING = new ProblemCode('CVA201', 'selector-matches-nothing');

  /** CVA202: a Service, connection or policy names a port the selected containers do not declare. */
  public static readonly UNDECLARED_PORT = new ProblemCode('CVA202', 'undeclared-port');

  /** CVA203: a workload refers to a Secret, ConfigMap, Secret key or Service (by DNS name) that is neither in the App nor declared external. */
  public static readonly MISSING_REFERENCE = new ProblemCode('CVA203', 'missing-reference');

  /** CVA204: a node port is outside the cluster's node port range, taken by another Service or by a second port of one protocol in its own, or the range has too few free ports. */
  public static readonly NODE_PORT = new ProblemCode('CVA204', 'node-port');

  /** CVA205: a declared connection is not admitted by the NetworkPolicies that select its target (ingress) or its client (egress, DNS included). */
  public static readonly CONNECTION_NOT_ADMITTED = new ProblemCode('CVA205', 'connection-not-admitted');

  /**
   * CVA206: a namespace is not set where one is needed: a policy cannot tell whether a client is in its
   * target's namespace, or a policy, autoscaler or disruption budget would land in its Chart's namespace
   * rather than its target's.
   */
  public static readonly NAMESPACE_UNKNOWN = new ProblemCode('CVA206', 'namespace-unknown');

  /**
   * @param code the code printed in messages, `CVA` and three digits
   * @param slug a short name of the kind of problem, in kebab case
   */
  private constructor(public readonly code: string, public readonly slug: string) {}

  public toString(): string {
    return this.code;
  }
}
