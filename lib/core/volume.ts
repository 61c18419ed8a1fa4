import { Size } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { mebibytesOf, nameFinding, present } from './checks';
import { Finding } from './problem';
import { ProblemCode } from './problem-code';

/** Options of a scratch volume that lives as long as its pod. */
export interface EmptyDirOptions {
  /**
   * The most the volume may hold; the pod is evicted beyond it.
   * @default - no limit
   */
  readonly sizeLimit?: Size;
}

/** Where a workload keeps data: a pod-lifetime scratch directory or a claim. */
export class Volume {
  /** A directory that lives and dies with the pod. */
  public static emptyDir(name: string, options: EmptyDirOptions = {}): Volume {
    const size = options.sizeLimit && mebibytesOf(`sizeLimit of volume ${name}`, options.sizeLimit, ProblemCode.OUT_OF_RANGE, 'use e.g. Size.mebibytes(64)');
    const sizeLimit = size?.mebibytes ? k8s.Quantity.fromString(`${size.mebibytes}Mi`) : undefined;
    return new Volume(name, { emptyDir: sizeLimit ? { sizeLimit } : {} }, size?.finding);
  }

  /** A PersistentVolumeClaim, referred to by name. */
  public static persistentVolumeClaim(name: string, claimName: string): Volume {
    return new Volume(name, { persistentVolumeClaim: { claimName } });
  }

  /** What is wrong with the volume, for the construct that mounts it to report. @internal */
  public readonly _findings: readonly Finding[];

  private constructor(public readonly name: string, private readonly source: Omit<k8s.Volume, 'name'>, bad?: Finding) {
    this._findings = present(nameFinding('volume name', name), bad);
  }

  /** @internal */
  public _toKube(): k8s.Volume {
    return { name: this.name, ...this.source };
  }
}

/** A volume mounted into the container. */
export interface VolumeMount {
  /** Absolute path inside the container. */
  readonly path: string;
  /** The volume. */
  readonly volume: Volume;
}
