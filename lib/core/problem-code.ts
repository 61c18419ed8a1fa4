/**
 * The stable code of a kind of problem the library reports, e.g. `CVA201`
 * for a Service whose selector matches no pod. Every message starts with
 * its code after the construct path (`[path] CVA201 ...`), so a test, a CI
 * filter or a search can name a problem without matching its wording,
 * which may change. Codes are never reused for another kind of problem.
 *
 * CVA1xx: a value or a setting of a construct; CVA2xx: how objects refer to
 * each other (selectors, ports, references, node ports, connections).
 *
 * Some kinds are refused although the API server accepts them: on purpose (a
 * literal password, a Service that selects nothing), or because the kubelet,
 * the kernel or the runtime refuses or ignores them later. Those say so in
 * `serverAccepts`, and docs/problems.md lists them.
 */
// Filled as the codes are made, in the order they are declared.
const ALL: ProblemCode[] = [];

export class ProblemCode {
  /** Every code, in the order of their numbers. */
  public static all(): ProblemCode[] {
    return [...ALL].sort((a, b) => a.code.localeCompare(b.code));
  }

  /** CVA100: a validation that another library or the user added to a construct (`node.addValidation`) failed. */
  public static readonly CONSTRUCT_VALIDATION = new ProblemCode('CVA100', 'construct-validation', false);

  /** CVA101: a name, key, namespace or label is not what Kubernetes accepts (DNS label, IANA port name, Secret key). */
  public static readonly INVALID_NAME = new ProblemCode('CVA101', 'invalid-name', false);

  /** CVA102: a number is outside its allowed range (ports, replicas, thresholds, sizes, tenants). */
  public static readonly OUT_OF_RANGE = new ProblemCode('CVA102', 'out-of-range', false);

  /** CVA103: a value has the wrong form (an image with spaces, a relative path, an IP address as a host name, an empty password). */
  public static readonly INVALID_VALUE = new ProblemCode('CVA103', 'invalid-value', false);

  /** CVA104: an image has no tag or digest, or the moving tag `latest` without `allowLatestTag`. */
  public static readonly UNPINNED_IMAGE = new ProblemCode('CVA104', 'unpinned-image', true);

  /**
   * CVA105: a credential written as a literal instead of a Secret reference: an env var whose name says
   * password, secret or token, a password inside a URL or connection string (in env, command or args), or
   * the value of a `--password=` flag. A `$(VAR)` reference to an env var from a Secret is no literal.
   */
  public static readonly CREDENTIAL_IN_LITERAL = new ProblemCode('CVA105', 'credential-in-literal', true);

  /** CVA106: container resources lack a CPU request, a memory request or a memory limit, or a request is above its limit. */
  public static readonly RESOURCES = new ProblemCode('CVA106', 'resources', true);

  /** CVA107: something that must be unique is used twice (an object name, a port, a Secret key, an output file, a connection). */
  public static readonly DUPLICATE = new ProblemCode('CVA107', 'duplicate', false);

  /** CVA108: settings that exclude each other are set together (e.g. a node port on a ClusterIP Service, two autoscalers on one workload). */
  public static readonly CONFLICTING_SETTINGS = new ProblemCode('CVA108', 'conflicting-settings', false);

  /** CVA109: a setting the construct needs is missing (credentials for the database, ports for a Service or for a connection's target). */
  public static readonly MISSING_SETTING = new ProblemCode('CVA109', 'missing-setting', true);

  /** CVA201: a Service's selector matches no pod template in its namespace, so it routes nowhere. */
  public static readonly SELECTOR_MATCHES_NOTHING = new ProblemCode('CVA201', 'selector-matches-nothing', true);

  /** CVA202: a Service, connection or policy names a port the selected containers do not declare. */
  public static readonly UNDECLARED_PORT = new ProblemCode('CVA202', 'undeclared-port', true);

  /** CVA203: a workload refers to a Secret, ConfigMap, Secret key or Service (by DNS name) that is neither in the App nor declared external. */
  public static readonly MISSING_REFERENCE = new ProblemCode('CVA203', 'missing-reference', true);

  /** CVA204: a node port is outside the cluster's node port range, taken by another Service or by a second port of one protocol in its own, or the range has too few free ports. */
  public static readonly NODE_PORT = new ProblemCode('CVA204', 'node-port', false);

  /** CVA205: a declared connection is not admitted by the NetworkPolicies that select its target (ingress) or its client (egress, DNS included). */
  public static readonly CONNECTION_NOT_ADMITTED = new ProblemCode('CVA205', 'connection-not-admitted', true);

  /**
   * CVA206: a namespace is not set where one is needed: a policy cannot tell whether a client is in its
   * target's namespace, or a policy, autoscaler or disruption budget would land in its Chart's namespace
   * rather than its target's.
   */
  public static readonly NAMESPACE_UNKNOWN = new ProblemCode('CVA206', 'namespace-unknown', true);

  /** CVA110: a securityContext value the API server refuses (a uid or gid outside 0-2147483647). */
  public static readonly SECURITY_CONTEXT = new ProblemCode('CVA110', 'security-context', false);

  /**
   * CVA111: a workload breaks the Pod Security level its namespace enforces, so its pods are refused at
   * admission; as a warning, a setting the baseline and restricted levels refuse (a capability in lower case).
   */
  public static readonly POD_SECURITY = new ProblemCode('CVA111', 'pod-security', false);

  /** CVA112: a health check that can never pass (a TCP or HTTP check on a UDP port: the kubelet connects over TCP). */
  public static readonly PROBE_NEVER_PASSES = new ProblemCode('CVA112', 'probe-never-passes', true);

  /**
   * CVA113: what the API server accepts but the node or the cluster refuses or ignores: the kubelet (uid 0 with
   * runAsNonRoot, an image name it cannot parse), the kernel (a sysctl value out of its range, e.g.
   * ip_unprivileged_port_start above ip_local_port_range), the runtime (a capability that does not exist,
   * `CAP_X`, which containerd ignores, or `ALL`, which drop ALL undoes) or cluster DNS
   * (an IP address as externalName).
   */
  public static readonly REFUSED_AT_RUN_TIME = new ProblemCode('CVA113', 'refused-at-run-time', true);

  /**
   * CVA114: a pod's shutdown cannot do what its settings say: a termination grace period that ends
   * before the drain pause does (the kubelet kills the process about two seconds after SIGTERM), a
   * drain pause with nothing to run it (an image without `sleep` and no drain command), or a drain
   * command given no time.
   */
  public static readonly SHUTDOWN = new ProblemCode('CVA114', 'shutdown', true);

  /** CVA207: a port a Service exposes that the NetworkPolicies let nobody reach. */
  public static readonly UNREACHABLE_PORT = new ProblemCode('CVA207', 'unreachable-port', true);

  /**
   * @param code the code printed in messages, `CVA` and three digits
   * @param slug a short name of the kind of problem, in kebab case
   * @param serverAccepts whether the API server accepts what this kind of problem refuses (the library, the kubelet, the kernel or the runtime refuses it instead)
   */
  private constructor(public readonly code: string, public readonly slug: string, public readonly serverAccepts: boolean) {
    ALL.push(this);
  }

  public toString(): string {
    return this.code;
  }
}
