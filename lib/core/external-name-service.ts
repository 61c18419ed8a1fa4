import { ApiObject } from 'cdk8s';
import { KubeService } from './kube-objects';
import { Construct } from 'constructs';
import { isDottedIpv4, isExternalHostName } from './rules/names';
import { nameFinding, portFinding } from './checks';
import { Problems } from './problems';
import { ProblemCode } from './problem-code';
import { AppLabels } from './labels';

/** Props of {@link ExternalNameService}. */
export interface ExternalNameServiceProps {
  /**
   * The in-cluster name (a DNS-1035 label), e.g. `db-svc`.
   * @default - the construct id
   */
  readonly name?: string;
  /** The outside host the name points to, e.g. `mydb.amazonaws.com`. */
  readonly externalName: string;
  /**
   * Namespace of the Service.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Ports to document on the Service (DNS does not use them).
   * @default - none
   */
  readonly ports?: number[];
  /**
   * `app.kubernetes.io/instance`.
   * @default - the same as `name`
   */
  readonly instance?: string;
  /**
   * `app.kubernetes.io/part-of`.
   * @default - the same as `instance`
   */
  readonly partOf?: string;
}

/**
 * A stable in-cluster DNS name (a CNAME) for a host outside the cluster, such
 * as a managed database. It selects no pods.
 */
export class ExternalNameService extends Construct {
  /** The in-cluster name. */
  public readonly name: string;
  /** The Service. */
  public readonly service: ApiObject;

  constructor(scope: Construct, id: string, props: ExternalNameServiceProps) {
    super(scope, id);
    this.name = props.name ?? id;
    const found = Problems.of(this);
    found._record(nameFinding('name', this.name, 'dns1035'));
    // An RFC 1123 subdomain is what Kubernetes accepts in spec.externalName; a dotted IPv4
    // address passes that shape, but cluster DNS would answer a CNAME to it, which resolves
    // nowhere (use a selector-less Service with an EndpointSlice for an address).
    if (found.check(isExternalHostName(props.externalName),
      ProblemCode.INVALID_VALUE, `externalName "${props.externalName}" is not a DNS host name (a URL is not allowed here)`,
      'give the host name only, e.g. "mydb.example.com"')) {
      found.check(!isDottedIpv4(props.externalName), ProblemCode.REFUSED_AT_RUN_TIME,
        `externalName "${props.externalName}" is an IP address, which cluster DNS answers with a CNAME that resolves nowhere`,
        'give a host name, or for an address use a Service without a selector and an EndpointSlice');
    }
    const ports = props.ports ?? [];
    ports.forEach(p => found._record(portFinding('port', p)));
    const labels = new AppLabels({ name: this.name, instance: props.instance, component: 'external', partOf: props.partOf });
    this.service = new KubeService(this, 'Service', {
      metadata: { name: this.name, namespace: props.namespace, labels: labels.all },
      spec: {
        type: 'ExternalName',
        externalName: props.externalName,
        ports: ports.length > 0 ? ports.map(p => ({ name: `tcp-${p}`, port: p, protocol: 'TCP' })) : undefined,
      },
    });
  }
}
