/** The label every object of this library carries to say what manages it. */
export const MANAGED_BY = 'cdk8s';

/** The label the API server puts on every Namespace, holding its name, whatever its manifest says. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * What an object is, in the terms of the Kubernetes recommended labels
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/).
 */
export interface AppLabelsProps {
  /** `app.kubernetes.io/name`: the component, e.g. `vote`. */
  readonly name: string;
  /**
   * `app.kubernetes.io/instance`: which installation this object belongs to,
   * so that two copies of one app in one namespace never select each other's pods.
   * @default - the same as `name`
   */
  readonly instance?: string;
  /**
   * `app.kubernetes.io/component`: the role in the architecture (frontend, database, ...).
   * @default - no component label
   */
  readonly component?: string;
  /**
   * `app.kubernetes.io/part-of`: the application this is part of.
   * @default - the same as `instance`
   */
  readonly partOf?: string;
}

/**
 * Labels for an object and the selector for its pods.
 *
 * Selectors use only `name` and `instance`: both are fixed for the life of an
 * installation, unlike a construct path, so `spec.selector` (immutable on a
 * Deployment) never changes when the code is refactored.
 */
export class AppLabels {
  public readonly name: string;
  public readonly instance: string;
  public readonly component?: string;
  public readonly partOf: string;
  private _selector?: { [key: string]: string };
  private _all?: { [key: string]: string };

  constructor(props: AppLabelsProps) {
    this.name = props.name;
    this.instance = props.instance ?? props.name;
    this.component = props.component;
    this.partOf = props.partOf ?? this.instance;
  }

  /** The stable labels that select this component's pods. */
  public get selector(): { [key: string]: string } {
    // Built once: a fleet reads them for every object it makes.
    this._selector ??= {
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/instance': this.instance,
    };
    return this._selector;
  }

  /** All recommended labels, for object metadata and pod templates. */
  public get all(): { [key: string]: string } {
    if (this._all === undefined) {
      // Assigned one by one: V8 builds an object spread of these keys about ten times slower.
      const all: Record<string, string> = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': this.instance };
      if (this.component) {
        all['app.kubernetes.io/component'] = this.component;
      }
      all['app.kubernetes.io/part-of'] = this.partOf;
      all['app.kubernetes.io/managed-by'] = MANAGED_BY;
      this._all = all;
    }
    return this._all;
  }

  /** The same labels for another object of the same installation (a Secret, a policy). */
  public withName(name: string, component?: string): AppLabels {
    return new AppLabels({ name, instance: this.instance, component, partOf: this.partOf });
  }
}
