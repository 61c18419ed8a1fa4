import { Construct } from 'constructs';
import { KubeNamespace } from './kube-objects';
import { nameFinding } from './checks';
import { Problems } from './problems';
import { AppLabels } from './labels';
import { POD_SECURITY_ENFORCE_LABEL } from './rules/pod-security';

/** Pod Security Standards levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export enum PodSecurityLevel {
  PRIVILEGED = 'privileged',
  BASELINE = 'baseline',
  RESTRICTED = 'restricted',
}

/** Props of {@link AppNamespace}. */
export interface AppNamespaceProps {
  /**
   * The namespace name (a DNS-1123 label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Level the API server enforces on pods; it also warns about anything short of `restricted`.
   * @default PodSecurityLevel.BASELINE (images that must run as root are allowed)
   */
  readonly enforce?: PodSecurityLevel;
  /**
   * `app.kubernetes.io/part-of`.
   * @default - the same as the name
   */
  readonly partOf?: string;
  /**
   * `app.kubernetes.io/instance`.
   * @default - the same as the name
   */
  readonly instance?: string;
}

/**
 * A Namespace with the recommended labels and a Pod Security Standard.
 * Create it first in its chart, so `kubectl apply -f` makes it before the
 * objects that live in it.
 */
export class AppNamespace extends Construct {
  /** The namespace name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: AppNamespaceProps = {}) {
    super(scope, id);
    this.name = props.name ?? id;
    Problems.of(this)._record(nameFinding('namespace', this.name));
    new KubeNamespace(this, 'Resource', {
      metadata: {
        name: this.name,
        labels: {
          ...new AppLabels({ name: this.name, instance: props.instance, component: 'namespace', partOf: props.partOf }).all,
          [POD_SECURITY_ENFORCE_LABEL]: props.enforce ?? PodSecurityLevel.BASELINE,
          'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
        },
      },
    });
  }
}
