import { IConstruct } from 'constructs';

// Construct metadata the synth checks read: what the App may refer to without defining it.
const EXTERNAL = 'cdk8s-voting-app:external';
const IMPORTED_WORKLOAD = 'cdk8s-voting-app:imported-workload';

/** Kinds of object an App may refer to without defining them. @internal */
export enum ExternalKind {
  SECRET = 'Secret',
  CONFIG_MAP = 'ConfigMap',
  SERVICE = 'Service',
  NAMESPACE = 'Namespace',
  PERSISTENT_VOLUME_CLAIM = 'PersistentVolumeClaim',
}

/** Where an object provided outside the App lives, and what it holds. */
export interface ExternalObjectOptions {
  /**
   * Its namespace (not for a Namespace, which has none).
   * @default - any namespace: references from every namespace are accepted
   */
  readonly namespace?: string;
  /**
   * The keys it is known to hold (Secrets and ConfigMaps).
   * @default - any key is accepted
   */
  readonly keys?: string[];
}

/** An object declared as provided outside the App. @internal */
export interface ExternalDeclaration {
  readonly kind: ExternalKind;
  readonly name: string;
  readonly namespace?: string;
  readonly keys?: string[];
}

/**
 * Objects provided outside the App (a Secret synced from a vault, a Service of
 * another team): references to them are then not reported by synth.
 */
export class ExternalObjects {
  /** Declares a Secret that exists in the cluster. */
  public static secret(scope: IConstruct, name: string, options: ExternalObjectOptions = {}): void {
    ExternalObjects.declare(scope, ExternalKind.SECRET, name, options);
  }

  /** Declares a ConfigMap that exists in the cluster. */
  public static configMap(scope: IConstruct, name: string, options: ExternalObjectOptions = {}): void {
    ExternalObjects.declare(scope, ExternalKind.CONFIG_MAP, name, options);
  }

  /** Declares a Service that exists in the cluster. */
  public static service(scope: IConstruct, name: string, options: ExternalObjectOptions = {}): void {
    ExternalObjects.declare(scope, ExternalKind.SERVICE, name, options);
  }

  /**
   * Declares a Namespace created outside the App (by `kubectl create namespace`,
   * a deploy tool such as Argo CD's `CreateNamespace`, or another team), so
   * objects written to it are not reported as landing in a namespace nothing creates.
   */
  public static namespace(scope: IConstruct, name: string): void {
    ExternalObjects.declare(scope, ExternalKind.NAMESPACE, name, {});
  }

  /**
   * Declares a PersistentVolumeClaim that exists in the cluster (made by hand,
   * by an operator or by another App), so pods may mount it by `claimName`.
   * Its `keys` are not read: a claim has none.
   */
  public static persistentVolumeClaim(scope: IConstruct, name: string, options: ExternalObjectOptions = {}): void {
    ExternalObjects.declare(scope, ExternalKind.PERSISTENT_VOLUME_CLAIM, name, { namespace: options.namespace });
  }

  private static declare(scope: IConstruct, kind: ExternalKind, name: string, options: ExternalObjectOptions): void {
    const declaration: ExternalDeclaration = { kind, name, namespace: options.namespace, keys: options.keys };
    scope.node.addMetadata(EXTERNAL, declaration);
  }

  private constructor() {}
}

/** One end of a declared connection, as the synth checks see it. @internal */
export interface ConnectionEnd {
  /** The construct that declared it or stands for the workload, for messages. */
  readonly construct: IConstruct;
  /** The workload's name. */
  readonly name: string;
  /** Its namespace, resolved the way cdk8s resolves it (own, else its Chart's); undefined when neither is set. */
  readonly namespace?: string;
  /** The labels its pods carry (at least its pod selector). */
  readonly podLabels: Record<string, string>;
  /** The name of the Service clients reach it by, if it has one. */
  readonly serviceName?: string;
}

/**
 * A connection from the pods of one workload to the pods of another, on
 * some of the target's container ports. Synth checks that the
 * NetworkPolicies in force admit it. @internal
 */
export interface ConnectionDeclaration {
  readonly from: ConnectionEnd;
  readonly to: ConnectionEnd;
  /** The target's container ports the client connects to. */
  readonly ports: ReadonlyArray<{ readonly name: string; readonly number: number; readonly protocol: string }>;
}

/** A workload imported with `Workload.fromAttributes`, as the synth checks see it. @internal */
export interface ImportedWorkloadDeclaration {
  readonly name: string;
  /** Resolved as cdk8s resolves it; undefined when neither the workload nor its Chart sets one (then `default`). */
  readonly namespace?: string;
  readonly podSelector: Record<string, string>;
  /** Whether its pods are made outside the App, so no pod template of the App need match its selector. */
  readonly external: boolean;
}

/** Records an imported workload on the construct that stands for it. @internal */
export function declareImportedWorkload(construct: IConstruct, workload: ImportedWorkloadDeclaration): void {
  construct.node.addMetadata(IMPORTED_WORKLOAD, workload);
}

/** What the constructs of an App declare about the cluster outside it. @internal */
export interface Declarations {
  /** The objects declared provided outside the App, in construct order. */
  readonly external: ExternalDeclaration[];
  /** The workloads imported with `Workload.fromAttributes`, with the construct that stands for each. */
  readonly imported: Array<{ readonly construct: IConstruct; readonly workload: ImportedWorkloadDeclaration }>;
}

/**
 * The declarations made on `constructs`, read in one pass: each construct's
 * metadata is read once (a fleet has tens of thousands of constructs). @internal
 */
export function declarationsOf(constructs: readonly IConstruct[]): Declarations {
  const external: ExternalDeclaration[] = [];
  const imported: Array<{ construct: IConstruct; workload: ImportedWorkloadDeclaration }> = [];
  for (const construct of constructs) {
    let workload: ImportedWorkloadDeclaration | undefined;
    for (const m of construct.node.metadata) {
      if (m.type === EXTERNAL) {
        external.push(m.data as ExternalDeclaration);
      } else if (m.type === IMPORTED_WORKLOAD && workload === undefined) {
        workload = m.data as ImportedWorkloadDeclaration;
        imported.push({ construct, workload });
      }
    }
  }
  return { external, imported };
}
