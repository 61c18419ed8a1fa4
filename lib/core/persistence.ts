import { Size, SizeRoundingBehavior } from 'cdk8s';
import { KubePersistentVolumeClaim } from './kube-objects';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { mebibytesOf, nameFinding, present } from './checks';
import { Finding } from './problem';
import { Problems } from './problems';
import { ProblemCode } from './problem-code';
import { AppLabels } from './labels';
import { Volume } from './volume';

/** Props of a PersistentVolumeClaim-backed {@link Persistence}. */
export interface ClaimPersistenceProps {
  /** Storage to request, e.g. `Size.gibibytes(5)`. */
  readonly size: Size;
  /**
   * StorageClass of the claim.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
}

/** Where a stateful component keeps its data. */
export class Persistence {
  /** In the pod only: data is lost when the pod goes (fine for a demo or a laptop). */
  public static ephemeral(): Persistence {
    return new Persistence();
  }

  /** In a PersistentVolumeClaim that outlives the pod. */
  public static claim(props: ClaimPersistenceProps): Persistence {
    return new Persistence(props, present(
      mebibytesOf('the persistent volume size of Persistence.claim', props.size, ProblemCode.OUT_OF_RANGE, 'use e.g. Size.gibibytes(5)').finding,
      props.storageClass === undefined ? undefined : nameFinding('storage class of Persistence.claim', props.storageClass)));
  }

  private constructor(private readonly claimProps?: ClaimPersistenceProps, findings: Finding[] = []) {
    this._findings = findings;
  }

  /** What is wrong with the persistence, for the construct that uses it to report. @internal */
  public readonly _findings: readonly Finding[];

  /** Whether data outlives the pod. */
  public get persistent(): boolean {
    return this.claimProps !== undefined;
  }

  /**
   * Makes the claim under `scope` if the data outlives the pod, and returns the
   * volume to mount; what is wrong with the persistence is reported there.
   * @param claimNamespace the claim's namespace (default: the Chart's)
   */
  public bind(scope: Construct, volumeName: string, claimName: string, labels: AppLabels, claimNamespace?: string): Volume {
    Problems.of(scope)._adopt(this);
    if (!this.claimProps) {
      return Volume.emptyDir(volumeName);
    }
    const { size, storageClass } = this.claimProps;
    // A size that is no whole number of MiB is reported (adopted by the user of this Persistence) and requested rounded up.
    const mebibytes = Math.max(1, Math.ceil(size.toMebibytes({ rounding: SizeRoundingBehavior.NONE })));
    new KubePersistentVolumeClaim(scope, 'Claim', {
      metadata: { name: claimName, namespace: claimNamespace, labels: labels.all },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`) } },
      },
    });
    return Volume.persistentVolumeClaim(volumeName, claimName);
  }
}
