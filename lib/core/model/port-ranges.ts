import { ConnectionVerdict, namedPortNumber, NetworkPolicies, PodRef, RulePort, rulePortsOf } from './network-policies';

// The ports on which the policies admit a connection between two pods, as
// ranges: what a picture of them can draw. Every range's verdict is the one
// NetworkPolicies.connectionVerdict gives, asked once per range.

/** The protocols a NetworkPolicy rule port may name. */
export const POLICY_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

/** The highest port number. */
export const MAX_PORT = 65535;

/** Ports `first` to `last` (both included) of one protocol. */
export interface PortRange {
  readonly protocol: string;
  readonly first: number;
  readonly last: number;
}

/** A range of ports on which every connection gets the same verdict. */
export interface PortRangeVerdict extends PortRange {
  readonly verdict: ConnectionVerdict;
}

/**
 * The numbers a rule port stands for on `target`: `port` to `endPort`, one
 * port, every port of its protocol, or a named port's number among the
 * target's declared ports (none when it declares no port of that name, or
 * declares no ports: a name then has no number).
 */
export function rulePortRanges(rulePort: RulePort, target: PodRef): PortRange[] {
  const { protocol, port, endPort } = rulePort;
  if (port === undefined) {
    return [{ protocol, first: 1, last: MAX_PORT }];
  }
  if (typeof port === 'string') {
    const number = namedPortNumber(port, protocol, target);
    return number === undefined ? [] : [{ protocol, first: number, last: number }];
  }
  return [{ protocol, first: port, last: endPort ?? port }];
}

/**
 * Every port of every protocol from `source` to `target`, cut into ranges
 * on which the policies of both ends cannot change their mind (cut where a
 * rule port's range starts or ends), each with its verdict; neighbours with
 * the same verdict are joined. Refused ranges are included: filter them out.
 */
export function connectionPorts(policies: NetworkPolicies, source: PodRef, target: PodRef): PortRangeVerdict[] {
  const rules = [
    ...policies.selecting(target, 'ingress').flatMap(p => p.ingress ?? []),
    ...policies.selecting(source, 'egress').flatMap(p => p.egress ?? []),
  ];
  const ranges = rules.flatMap(rule => (rulePortsOf(rule) ?? []).flatMap(rp => rulePortRanges(rp, target)));
  const out: PortRangeVerdict[] = [];
  for (const protocol of POLICY_PROTOCOLS) {
    const cuts = new Set([1, MAX_PORT + 1]);
    for (const r of ranges.filter(x => x.protocol === protocol)) {
      cuts.add(Math.max(1, r.first));
      cuts.add(Math.min(MAX_PORT, r.last) + 1);
    }
    const sorted = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < sorted.length; i++) {
      const verdict = policies.connectionVerdict(source, target, { number: sorted[i], protocol });
      out.push({ protocol, first: sorted[i], last: sorted[i + 1] - 1, verdict });
    }
  }
  return joinPortRanges(out, (a, b) => sameVerdict(a.verdict, b.verdict));
}

/** Neighbouring ranges of one protocol that `same` says alike, joined into one (the first one's other fields kept). */
export function joinPortRanges<R extends PortRange>(ranges: readonly R[], same: (a: R, b: R) => boolean): R[] {
  const out: R[] = [];
  for (const r of ranges) {
    const before = out[out.length - 1];
    if (before !== undefined && before.protocol === r.protocol && before.last + 1 === r.first && same(before, r)) {
      out[out.length - 1] = { ...before, last: r.last };
    } else {
      out.push(r);
    }
  }
  return out;
}

/** Whether two verdicts say the same thing (their admission, doubts and how each side admits). */
function sameVerdict(a: ConnectionVerdict, b: ConnectionVerdict): boolean {
  const side = (x: ConnectionVerdict['ingress'], y: ConnectionVerdict['ingress']) => x.verdict === y.verdict && x.peerNamed === y.peerNamed
    && x.doubts.join() === y.doubts.join();
  return a.verdict === b.verdict && side(a.ingress, b.ingress) && side(a.egress, b.egress);
}
