import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AppNamespace, Credentials, Exposure, INodePortSource, NodePortAllocator, NodePortRange, ProblemCode, Problems } from '../core';
import { VOTING_APP } from './component';
import { VotingApp } from './voting-app';

/** Props of {@link VotingAppFleet}. */
export interface VotingAppFleetProps {
  /** How many tenants: one voting app, in its own namespace, each. */
  readonly tenants: number;
  /** Credentials of every tenant's postgres; each tenant gets its own Secret. */
  readonly credentials: Credentials;
  /**
   * Namespaces are `<prefix>-001`, `<prefix>-002`, ...
   * @default 'tenant'
   */
  readonly namespacePrefix?: string;
  /**
   * Node ports already taken in the cluster, which tenants must not get.
   * @default - every node port of the other Services in this App
   */
  readonly reservedNodePorts?: number[];
  /**
   * Whether the API server enforces NetworkPolicies between tenants' components.
   * @default true
   */
  readonly networkPolicies?: boolean;
}

/** One tenant of a {@link VotingAppFleet}. */
export interface FleetTenant {
  /** The tenant's namespace. */
  readonly namespace: string;
  /** The node port of the tenant's vote page. */
  readonly voteNodePort: number;
  /** The node port of the tenant's results page. */
  readonly resultNodePort: number;
}

// The App's fleets. Chart defines Symbol.hasInstance, so `instanceof` holds for every Chart.
const FLEETS = new WeakSet<IConstruct>();

/**
 * One voting app per namespace for N tenants (a workshop with one stack per
 * attendee, preview environments), in a single chart: cdk8s walks the whole
 * construct tree once per chart, so a chart per tenant grows quadratically.
 * Node ports are handed out in order, two per tenant, skipping every one the
 * rest of the App uses, wherever in the App the fleet is built; synth fails
 * clearly when the cluster's {@link NodePortRange} cannot hold them all.
 */
export class VotingAppFleet extends Chart {
  private readonly namespaces: string[] = [];
  private readonly reserved?: number[];
  private allocated?: { ports?: number[]; free: number; range: NodePortRange };

  constructor(scope: Construct, id: string, props: VotingAppFleetProps) {
    super(scope, id);
    FLEETS.add(this);
    const found = Problems.of(this);
    const prefix = props.namespacePrefix ?? 'tenant';
    const width = Math.max(3, String(props.tenants).length);
    // An invalid count or prefix builds no tenant: one problem, reported once.
    const valid = found.checkInteger('tenants', props.tenants, 1, 5000)
      && found.checkName('namespace prefix', `${prefix}-${'0'.repeat(width)}`);
    this.reserved = props.reservedNodePorts;
    // Allocated at synth, when the App is complete; a range too small is reported then.
    found.addCheck({
      runCheck: problems => {
        const { ports, free, range } = this.allocation();
        problems.check(ports !== undefined, ProblemCode.NODE_PORT, `needs ${2 * this.namespaces.length} node ports but only ${free} of ${range} are free`,
          'use fewer tenants, expose them with LoadBalancer or ClusterIP (no node port), or split them across clusters');
      },
    });
    for (let i = 0; valid && i < props.tenants; i++) {
      const namespace = `${prefix}-${String(i + 1).padStart(width, '0')}`;
      this.namespaces.push(namespace);
      const scopeOfTenant = new Construct(this, namespace);
      new AppNamespace(scopeOfTenant, 'Namespace', { name: namespace, instance: namespace, partOf: VOTING_APP });
      const app = new VotingApp(scopeOfTenant, 'App', {
        namespace,
        instance: namespace,
        credentials: props.credentials,
        voteExposure: Exposure.nodePort(8080),
        resultExposure: Exposure.nodePort(8081),
        networkPolicies: props.networkPolicies,
      });
      app.vote.assignNodePort(0, this.nodePortOf(2 * i));
      app.result.assignNodePort(0, this.nodePortOf(2 * i + 1));
    }
  }

  /**
   * The tenants, in order, with the node ports they get (worked out from the whole App when first asked);
   * none when the cluster's range cannot hold them all (reported at synth).
   */
  public get tenants(): FleetTenant[] {
    const ports = this.nodePortsIfAny();
    return ports === undefined ? [] : this.namespaces.map((namespace, i) => ({ namespace, voteNodePort: ports[2 * i], resultNodePort: ports[2 * i + 1] }));
  }

  /** The `index`-th node port of the fleet, read when the Service is rendered. */
  private nodePortOf(index: number): INodePortSource {
    const ports = () => this.nodePortsIfAny();
    return { get nodePort() { return ports()?.[index]; } };
  }

  /** The node ports, or none when the range cannot hold them (reported by the validation). */
  private nodePortsIfAny(): number[] | undefined {
    return this.allocation().ports;
  }

  /** Two node ports per tenant, drawn after every other one the App uses; none when the range cannot hold them. */
  private allocation(): { ports?: number[]; free: number; range: NodePortRange } {
    if (this.allocated === undefined) {
      const reserved = this.reserved ?? nodePortsOutsideFleets(this);
      const range = NodePortRange.forScope(this);
      const allocator = new NodePortAllocator(reserved, range);
      const free = allocator.free;
      const count = 2 * this.namespaces.length;
      this.allocated = { ports: count <= free ? allocator.allocate(count) : undefined, free, range };
    }
    return this.allocated;
  }
}

/**
 * Node ports of the App's Services outside every fleet, wherever they are,
 * and of the fleets built before `fleet`: fleets draw in tree order, so none
 * reads the ports of one that reads its own.
 */
function nodePortsOutsideFleets(fleet: VotingAppFleet): number[] {
  const ports: number[] = [];
  let before = true;
  const visit = (c: IConstruct): void => {
    if (FLEETS.has(c)) {
      if (c === fleet) {
        before = false;
      } else if (before) {
        ports.push(...(c as VotingAppFleet).tenants.flatMap(t => [t.voteNodePort, t.resultNodePort]));
      }
      return;
    }
    if (ApiObject.isApiObject(c) && c.kind === 'Service') {
      for (const p of (c.toJson().spec?.ports ?? []) as Array<{ nodePort?: number }>) {
        if (p.nodePort !== undefined) {
          ports.push(p.nodePort);
        }
      }
    }
    c.node.children.forEach(visit);
  };
  visit(fleet.node.root);
  return ports;
}
