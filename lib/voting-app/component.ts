import { ContainerResources } from 'cdk8s-plus-28';
import { MicroserviceProps } from '../core';

/** Props every voting app component shares. */
export interface ComponentProps {
  /**
   * Container image with an explicit tag.
   * @default - the component's pinned default (see its DEFAULT_IMAGE)
   */
  readonly image?: string;
  /**
   * Number of pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * CPU and memory.
   * @default - the component's laptop-sized default (see its DEFAULT_RESOURCES)
   */
  readonly resources?: ContainerResources;
  /**
   * Namespace of the component's objects.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * `app.kubernetes.io/instance`: which installation of the voting app this is.
   * @default 'voting-app'
   */
  readonly instance?: string;
  /**
   * Spread the pods across nodes.
   * @default false
   */
  readonly spreadAcrossNodes?: boolean;
  /**
   * An ingress NetworkPolicy derived from the connections declared to the component.
   * @default true
   */
  readonly networkPolicies?: boolean;
}

/** `app.kubernetes.io/part-of` of every voting app object. */
export const VOTING_APP = 'voting-app';

/** What every component passes on to its {@link Microservice}. */
export interface ComponentWorkloadProps {
  readonly name: string;
  readonly namespace?: string;
  readonly instance: string;
  readonly partOf: string;
  readonly component: string;
  readonly image: string;
  readonly allowLatestTag: boolean;
  readonly replicas?: number;
  readonly resources: ContainerResources;
  readonly spreadAcrossNodes?: boolean;
  readonly policyFromConnections?: boolean;
}

/**
 * The part of a component's Microservice props that comes from
 * {@link ComponentProps}: exact name, namespace, labels, image, replicas,
 * resources and spreading, with the component's own defaults.
 */
export function componentWorkload(props: ComponentProps, name: string, component: string,
  defaults: { image: string; resources: ContainerResources }): ComponentWorkloadProps {
  return {
    name,
    namespace: props.namespace,
    instance: props.instance ?? VOTING_APP,
    partOf: VOTING_APP,
    component,
    image: props.image ?? defaults.image,
    // The stock app images are published only under moving tags: accepted for the defaults alone.
    allowLatestTag: props.image === undefined,
    replicas: props.replicas,
    resources: props.resources ?? defaults.resources,
    spreadAcrossNodes: props.spreadAcrossNodes,
    policyFromConnections: props.networkPolicies,
  };
}

/**
 * A component's Microservice props: what {@link componentWorkload} worked out, then the
 * component's own (a later object's keys replace an earlier's). Object.assign, not `{ ...workload, ...own }`: Node 20 gives
 * every object made by a spread a hidden class of its own, and a Microservice reads its props
 * many times, each read then a miss of V8's caches ("Spreads on Node 20" in docs/performance.md).
 */
export function microserviceProps(workload: ComponentWorkloadProps, ...own: Array<Partial<MicroserviceProps>>): MicroserviceProps {
  return Object.assign({}, workload, ...own);
}
