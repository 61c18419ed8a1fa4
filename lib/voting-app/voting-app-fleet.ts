import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppNamespace } from '../core/app-namespace';
import { VOTING_APP } from './component';
import { Credentials } from '../core/credentials';
import { checkInteger, checkName } from '../core/errors';
import { Exposure } from '../core/exposure';
import { NodePortAllocator } from '../core/node-port-allocator';
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
   * @default - every node port of the Services already in this App
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

/**
 * One voting app per namespace for N tenants (a workshop with one stack per
 * attendee, preview environments), in a single chart: cdk8s walks the whole
 * construct tree once per chart, so a chart per tenant grows quadratically.
 * Node ports are handed out in order, two per tenant, skipping any already
 * taken, and synth fails clearly when the range cannot hold them all.
 */
export class VotingAppFleet extends Chart {
  /** The tenants, in order. */
  public readonly tenants: FleetTenant[];

  constructor(scope: Construct, id: string, props: VotingAppFleetProps) {
    super(scope, id);
    checkInteger(this, 'tenants', props.tenants, 1, 5000);
    const prefix = props.namespacePrefix ?? 'tenant';
    const width = Math.max(3, String(props.tenants).length);
    checkName(this, 'namespace prefix', `${prefix}-${'0'.repeat(width)}`);
    const ports = new NodePortAllocator(props.reservedNodePorts ?? nodePortsIn(scope)).allocate(2 * props.tenants, this.node.path);
    const tenants: FleetTenant[] = [];
    for (let i = 0; i < props.tenants; i++) {
      const namespace = `${prefix}-${String(i + 1).padStart(width, '0')}`;
      const tenant = { namespace, voteNodePort: ports[2 * i], resultNodePort: ports[2 * i + 1] };
      const scopeOfTenant = new Construct(this, namespace);
      new AppNamespace(scopeOfTenant, 'Namespace', { name: namespace, instance: namespace, partOf: VOTING_APP });
      new VotingApp(scopeOfTenant, 'App', {
        namespace,
        instance: namespace,
        credentials: props.credentials,
        voteExposure: Exposure.nodePort(8080, tenant.voteNodePort),
        resultExposure: Exposure.nodePort(8081, tenant.resultNodePort),
        networkPolicies: props.networkPolicies,
      });
      tenants.push(tenant);
    }
    this.tenants = tenants;
  }
}

/** Node ports of every Service synthesized so far under the App of `scope`. */
function nodePortsIn(scope: Construct): number[] {
  return scope.node.root.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Service')
    .flatMap(s => (s.toJson().spec?.ports ?? []) as Array<{ nodePort?: number }>)
    .flatMap(p => (p.nodePort === undefined ? [] : [p.nodePort]));
}
