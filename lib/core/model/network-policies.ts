import { arr, Json, JsonObject, Labels, num, obj, objs, portRef, str } from './json';
import { NAMESPACE_NAME_LABEL } from '../labels';
import { ipBlockMayHoldClusterAddresses } from './ip-blocks';
import { NamespaceLabels } from './namespaces';
import { nameOf, namespaceOf } from './objects';
import { DeclaredPort } from './pod-templates';
import { matchesSelector, selectorKeys, selectorOnKeys } from './selectors';

// NetworkPolicy, evaluated as the API defines it: which pods a policy
// isolates, which peers and ports its rules admit.

/** A pod as the policies see it. */
export interface PodRef {
  readonly namespace: string;
  readonly labels: Labels;
  /** The ports it declares, to resolve a rule's named port; without them a name matches the port asked for by name. */
  readonly ports?: readonly DeclaredPort[];
}

/** A port a connection is made to: its number, its name on the target pod, or both. */
export interface PortQuery {
  readonly number?: number;
  readonly name?: string;
  /** TCP when unset. */
  readonly protocol?: string;
}

/** A NetworkPolicy with the defaults of the API server applied. */
export interface NetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: JsonObject;
  /** Its ingress rules when it governs ingress (policyTypes), else undefined: it leaves ingress alone. */
  readonly ingress?: JsonObject[];
  /** Its egress rules when it governs egress, else undefined. */
  readonly egress?: JsonObject[];
}

/**
 * The policy types of a spec. Without `policyTypes` the API server sets
 * Ingress on every policy, and Egress too when it has egress rules.
 */
export function policyTypesOf(spec: JsonObject): string[] {
  const declared = arr(spec.policyTypes).map(t => String(t));
  if (declared.length > 0) {
    return declared;
  }
  return objs(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

export function networkPolicyOf(json: Json): NetworkPolicy {
  const spec = obj(obj(json)?.spec) ?? {};
  const types = policyTypesOf(spec);
  return {
    name: nameOf(json),
    namespace: namespaceOf(json),
    podSelector: obj(spec.podSelector) ?? {},
    ingress: types.includes('Ingress') ? objs(spec.ingress) : undefined,
    egress: types.includes('Egress') ? objs(spec.egress) : undefined,
  };
}

/** Whether the policy applies to the pod: same namespace, and its podSelector (`{}`: every pod) matches. */
export function policySelects(policy: NetworkPolicy, pod: PodRef): boolean {
  return policy.namespace === pod.namespace && matchesSelector(policy.podSelector, pod.labels);
}

/**
 * Whether one peer of a rule (`from` or `to`) is the pod. A podSelector
 * alone picks pods of the policy's namespace; with a namespaceSelector, pods
 * of the namespaces it matches; a namespaceSelector alone, every pod there.
 * An ipBlock never picks a pod here: pod addresses are not known from manifests.
 */
export function peerSelects(peer: JsonObject, policyNamespace: string, pod: PodRef, namespaces: NamespaceLabels): boolean {
  const podSelector = obj(peer.podSelector);
  const namespaceSelector = obj(peer.namespaceSelector);
  if (!podSelector && !namespaceSelector) {
    return false;
  }
  if (namespaceSelector ? !matchesSelector(namespaceSelector, namespaces.of(pod.namespace)) : pod.namespace !== policyNamespace) {
    return false;
  }
  return podSelector ? matchesSelector(podSelector, pod.labels) : true;
}

/**
 * Why a peer may pick the pod on facts the manifests do not hold: `ip-block`,
 * an ipBlock that may cover addresses inside the cluster; `namespace-labels`,
 * a namespaceSelector on labels of a namespace the manifests do not define.
 */
export type Doubt = 'ip-block' | 'namespace-labels';

/**
 * The {@link Doubt} under which a peer may pick the pod on facts the manifests
 * do not hold, where {@link peerSelects} cannot tell (of a namespace they do not
 * define, only the name label is known); undefined when it may not.
 */
export function peerDoubt(peer: JsonObject, pod: PodRef, namespaces: NamespaceLabels): Doubt | undefined {
  const block = obj(peer.ipBlock);
  if (block) {
    return ipBlockMayHoldClusterAddresses(block) ? 'ip-block' : undefined;
  }
  const namespaceSelector = obj(peer.namespaceSelector);
  if (!namespaceSelector || namespaces.isDefined(pod.namespace) || selectorKeys(namespaceSelector).every(k => k === NAMESPACE_NAME_LABEL)) {
    return undefined;
  }
  const podSelector = obj(peer.podSelector);
  return matchesSelector(selectorOnKeys(namespaceSelector, k => k === NAMESPACE_NAME_LABEL), namespaces.of(pod.namespace))
    && (podSelector ? matchesSelector(podSelector, pod.labels) : true) ? 'namespace-labels' : undefined;
}

/** The peers of a rule (`from` of an ingress rule, `to` of an egress rule); none means every peer. */
export function rulePeers(rule: JsonObject, direction: 'ingress' | 'egress'): JsonObject[] {
  return objs(direction === 'ingress' ? rule.from : rule.to);
}

/** Whether a rule admits the peer: a rule without peers admits every source (or destination). */
export function ruleAdmitsPeer(rule: JsonObject, direction: 'ingress' | 'egress', policyNamespace: string, pod: PodRef, namespaces: NamespaceLabels): boolean {
  const peers = rulePeers(rule, direction);
  return peers.length === 0 || peers.some(p => peerSelects(p, policyNamespace, pod, namespaces));
}

/** One entry of a rule's `ports`, with its protocol defaulted (TCP). `port` absent: every port of the protocol. */
export interface RulePort {
  readonly protocol: string;
  readonly port?: number | string;
  /** With a numeric port: the last port of the range it starts. */
  readonly endPort?: number;
}

/** A rule's ports; undefined when it has none, which admits every port. */
export function rulePortsOf(rule: JsonObject): RulePort[] | undefined {
  const ports = objs(rule.ports);
  return ports.length === 0 ? undefined : ports.map(p => ({ protocol: str(p.protocol) ?? 'TCP', port: portRef(p.port), endPort: num(p.endPort) }));
}

/** The number a rule's named port stands for on the pod: its declared container port of that name and protocol. */
export function namedPortNumber(name: string, protocol: string, pod: PodRef): number | undefined {
  return pod.ports?.find(p => p.name === name && p.protocol === protocol)?.number;
}

/** Whether a rule port admits a connection to `port` of the pod (the destination of the rule). */
export function rulePortAdmits(rulePort: RulePort, port: PortQuery, pod: PodRef): boolean {
  const protocol = port.protocol ?? 'TCP';
  if (rulePort.protocol !== protocol) {
    return false;
  }
  if (rulePort.port === undefined) {
    return true;
  }
  const number = port.number ?? (port.name === undefined ? undefined : namedPortNumber(port.name, protocol, pod));
  if (typeof rulePort.port === 'string') {
    // A name stands for the target pod's container port of that name; a pod without one is not admitted by it.
    if (pod.ports === undefined) {
      return rulePort.port === port.name;
    }
    const resolved = namedPortNumber(rulePort.port, protocol, pod);
    return resolved !== undefined && resolved === number;
  }
  if (number === undefined) {
    return false;
  }
  return rulePort.endPort === undefined ? number === rulePort.port : number >= rulePort.port && number <= rulePort.endPort;
}

/** Whether a rule admits a connection to `port` of the pod: one of its ports does, or it lists none. */
function ruleAdmitsPort(rule: JsonObject, port: PortQuery, target: PodRef): boolean {
  return rulePortsOf(rule)?.some(rp => rulePortAdmits(rp, port, target)) ?? true;
}

/**
 * What the policies say of a connection: `admitted` on what the manifests
 * say; `refused`; or `in-doubt`, admitted only on facts they do not hold
 * (see {@link Doubt}), which synth gives the benefit of the doubt.
 */
export type Admission = 'admitted' | 'refused' | 'in-doubt';

/** What the policies in force on one side say of one connection. */
export interface PolicyVerdict {
  /** `admitted`, `refused` or `in-doubt`, as {@link admitted} and {@link inDoubt} say. */
  readonly verdict: Admission;
  /** Admitted on what the manifests say (or no policy isolates that side). */
  readonly admitted: boolean;
  /**
   * Not admitted on what the manifests say, but a rule admits the port to a
   * peer that may be the pod on facts they do not hold: an ipBlock that may
   * cover cluster addresses, or the labels of a namespace they do not define.
   */
  readonly inDoubt: boolean;
  /** Why it is in doubt, each reason once; empty unless {@link inDoubt}. */
  readonly doubts: readonly Doubt[];
  /**
   * Admitted by a rule that names the peer (a podSelector or namespaceSelector
   * picking it), not only by rules without peers, which admit everyone.
   * False when no policy isolates that side.
   */
  readonly peerNamed: boolean;
  /** The policies that select that side's pods for the direction (isolating them); empty when none does. */
  readonly policies: readonly NetworkPolicy[];
}

/** What the policies of both ends say of a connection from one pod to a port of another. */
export interface ConnectionVerdict {
  /** `admitted` when both sides admit it; `refused` when either refuses it; else `in-doubt`. */
  readonly verdict: Admission;
  /** The target's ingress policies. */
  readonly ingress: PolicyVerdict;
  /** The source's egress policies. */
  readonly egress: PolicyVerdict;
  /** Why it is in doubt, each reason once (both sides'); empty unless `in-doubt`. */
  readonly doubts: readonly Doubt[];
}

/**
 * The NetworkPolicies of a set of manifests, indexed by namespace, and the
 * evaluation of a connection against them.
 */
export class NetworkPolicies {
  private readonly byNamespace = new Map<string, NetworkPolicy[]>();
  public readonly all: NetworkPolicy[] = [];

  constructor(public readonly namespaces: NamespaceLabels = new NamespaceLabels()) {}

  /** Records a NetworkPolicy object. */
  public add(json: Json): NetworkPolicy {
    const policy = networkPolicyOf(json);
    this.all.push(policy);
    const list = this.byNamespace.get(policy.namespace);
    if (list) {
      list.push(policy);
    } else {
      this.byNamespace.set(policy.namespace, [policy]);
    }
    return policy;
  }

  /**
   * The ingress policies that select the pod and let no source at all reach
   * `port` of it (no rule admits that port, whoever the peer): empty when the
   * port is reachable by someone, or no policy isolates the pod.
   */
  public closingPort(target: PodRef, port: PortQuery): NetworkPolicy[] {
    const policies = this.selecting(target, 'ingress');
    return policies.some(p => (p.ingress ?? []).some(rule => ruleAdmitsPort(rule, port, target))) ? [] : policies;
  }

  /** The policies that govern the pod's ingress (or egress). */
  public selecting(pod: PodRef, direction: 'ingress' | 'egress'): NetworkPolicy[] {
    return (this.byNamespace.get(pod.namespace) ?? []).filter(p => p[direction] !== undefined && policySelects(p, pod));
  }

  /**
   * Whether `source` may open a connection to `port` of `target`. A pod that
   * no policy selects for ingress accepts every connection; otherwise some
   * ingress rule of some policy selecting it must admit both the source and
   * the port. The source's egress policies are {@link egressVerdict}'s.
   */
  public ingressVerdict(source: PodRef, target: PodRef, port: PortQuery): PolicyVerdict {
    return this.verdict('ingress', target, source, target, port);
  }

  /**
   * Whether `source`'s egress policies let it open a connection to `port` of
   * `target`: a pod no policy selects for egress may connect anywhere;
   * otherwise some egress rule of some policy selecting it must admit both
   * the target and the port. A connection needs both verdicts.
   */
  public egressVerdict(source: PodRef, target: PodRef, port: PortQuery): PolicyVerdict {
    return this.verdict('egress', source, target, target, port);
  }

  /**
   * THE decision on a connection from `source` to `port` of `target` (its
   * number, or its name among the target's declared ports; TCP unless told):
   * the target's ingress policies and the source's egress policies must both
   * admit it. Synth's checks, the diagram and the tests ask this, so a
   * connection one admits the others cannot refuse. Port ranges (`port` with
   * `endPort`) and named ports are the rule ports' own semantics, here.
   */
  public connectionVerdict(source: PodRef, target: PodRef, port: PortQuery): ConnectionVerdict {
    const ingress = this.ingressVerdict(source, target, port);
    const egress = this.egressVerdict(source, target, port);
    const verdict: Admission = ingress.verdict === 'refused' || egress.verdict === 'refused' ? 'refused'
      : ingress.verdict === 'admitted' && egress.verdict === 'admitted' ? 'admitted' : 'in-doubt';
    const doubts = verdict === 'in-doubt' ? [...new Set([...ingress.doubts, ...egress.doubts])] : [];
    return { verdict, ingress, egress, doubts };
  }

  /** The verdict of the `direction` policies selecting `governed` on a connection with `peer`, to `port` of `target`. */
  private verdict(direction: 'ingress' | 'egress', governed: PodRef, peer: PodRef, target: PodRef, port: PortQuery): PolicyVerdict {
    const policies = this.selecting(governed, direction);
    const admittingRules = (admitsPeer: (rule: JsonObject, policy: NetworkPolicy) => boolean) => policies.flatMap(p => (p[direction] ?? []).filter(rule =>
      admitsPeer(rule, p) && ruleAdmitsPort(rule, port, target)));
    const admittedBy = policies.length === 0 ? [] : admittingRules((rule, p) => ruleAdmitsPeer(rule, direction, p.namespace, peer, this.namespaces));
    const admitted = policies.length === 0 || admittedBy.length > 0;
    const peerNamed = admittedBy.some(rule => rulePeers(rule, direction).length > 0);
    const doubts = admitted ? [] : [...new Set(admittingRules(() => true).flatMap(rule => rulePeers(rule, direction)
      .map(x => peerDoubt(x, peer, this.namespaces)).filter((d): d is Doubt => d !== undefined)))];
    const inDoubt = doubts.length > 0;
    return { verdict: admitted ? 'admitted' : inDoubt ? 'in-doubt' : 'refused', admitted, inDoubt, doubts, peerNamed, policies };
  }
}
