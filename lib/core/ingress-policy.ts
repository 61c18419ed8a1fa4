import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { ContainerPort } from './container-port';
import { check, ConfigurationError } from './errors';
import { Microservice } from './microservice';

/** Props of {@link IngressPolicy}. */
export interface IngressPolicyProps {
  /** The workload whose incoming connections are limited. */
  readonly target: Microservice;
  /**
   * The only workloads (in the same namespace) allowed to connect.
   * @default - nobody: all ingress to the target is denied
   */
  readonly from?: Microservice[];
  /**
   * Allow every source (other pods, nodes, outside clients) on `ports`:
   * for front ends behind a NodePort or LoadBalancer. Excludes `from`.
   * @default false
   */
  readonly fromAnywhere?: boolean;
  /**
   * Ports they may connect to.
   * @default - every port of the target
   */
  readonly ports?: ContainerPort[];
  /**
   * Name of the NetworkPolicy.
   * @default - `<target>-ingress`
   */
  readonly name?: string;
}

/**
 * A named NetworkPolicy that lets only the given workloads connect to a
 * target. It restricts ingress only and never egress, so no pod loses DNS
 * (unlike cdk8s-plus `connections.allowFrom`, which also writes egress rules).
 */
export class IngressPolicy extends Construct {
  /** The NetworkPolicy. */
  public readonly policy: ApiObject;

  constructor(scope: Construct, id: string, props: IngressPolicyProps) {
    super(scope, id);
    const { target } = props;
    const from = props.from ?? [];
    const ports = props.ports ?? [...target.ports];
    for (const port of ports) {
      if (!target.ports.includes(port)) {
        throw new ConfigurationError(this, `port ${port.name} (${port.number}) is not a port of ${target.name}`,
          `use one of: ${target.ports.map(p => `${p.name} (${p.number})`).join(', ') || 'none declared'}`);
      }
    }
    check(!(props.fromAnywhere && from.length > 0), this, 'both fromAnywhere and from are set', 'use one of them');
    for (const client of from) {
      check(client.namespace === target.namespace, this, `${client.name} is in namespace "${client.namespace ?? '<chart>'}" but ${target.name} in "${target.namespace ?? '<chart>'}"`,
        'put both in one namespace; cross-namespace rules need a namespaceSelector this construct does not write');
    }
    // A target without ports: no ports field (all ports), never `ports: []`, which the API
    // server drops, so every apply would report a change.
    const policyPorts = ports.length === 0 ? undefined
      : ports.map(p => ({ port: k8s.IntOrString.fromNumber(p.number), protocol: p.protocol }));
    this.policy = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name ?? `${target.name}-ingress`, namespace: target.namespace, labels: target.labels.all },
      spec: {
        podSelector: { matchLabels: target.labels.selector },
        policyTypes: ['Ingress'],
        ingress: props.fromAnywhere
          ? [{ ports: policyPorts }]
          // Deny all: policyTypes [Ingress] with no rules. An empty list would be
          // dropped by the API server and re-sent on every apply.
          : from.length === 0 ? undefined : [{
          from: from.map(c => ({ podSelector: { matchLabels: c.labels.selector } })),
          ports: policyPorts,
        }],
      },
    });
  }
}
