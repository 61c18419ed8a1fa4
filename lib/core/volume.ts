import { Size } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { checkName, wholeMebibytes } from './errors';
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
    const mebibytes = options.sizeLimit && wholeMebibytes(`Volume ${name}`, 'sizeLimit', options.sizeLimit, ProblemCode.OUT_OF_RANGE, 'use e.g. Size.mebibytes(64)');
    const sizeLimit = mebibytes ? k8s.Quantity.fromString(`${mebibytes}Mi`) : undefined;
    return new Volume(name, { emptyDir: sizeLimit ? { sizeLimit } : {} });
  }

  /** A PersistentVolumeClaim, referred to by name. */
  public static persistentVolumeClaim(name: string, claimName: string): Volume {
    return new Volume(name, { persistentVolumeClaim: { claimName } });
  }

  private constructor(public readonly name: string, private readonly source: Omit<k8s.Volume, 'name'>) {
    checkName(`Volume ${name}`, 'volume name', name);
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
