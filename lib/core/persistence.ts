import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { checkName, wholeMebibytes } from './errors';
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
    wholeMebibytes('Persistence.claim', 'the persistent volume size', props.size, ProblemCode.OUT_OF_RANGE, 'use e.g. Size.gibibytes(5)');
    if (props.storageClass !== undefined) {
      checkName('Persistence.claim', 'storage class', props.storageClass);
    }
    return new Persistence(props);
  }

  private constructor(private readonly claimProps?: ClaimPersistenceProps) {}

  /** Whether data outlives the pod. */
  public get persistent(): boolean {
    return this.claimProps !== undefined;
  }

  /** Creates the claim if needed and returns the volume to mount. @internal */
  public _bind(scope: Construct, volumeName: string, claimName: string, labels: AppLabels, namespace?: string): Volume {
    if (!this.claimProps) {
      return Volume.emptyDir(volumeName);
    }
    const { size, storageClass } = this.claimProps;
    const mebibytes = size.toMebibytes();
    new k8s.KubePersistentVolumeClaim(scope, 'Claim', {
      metadata: { name: claimName, namespace, labels: labels.all },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`) } },
      },
    });
    return Volume.persistentVolumeClaim(volumeName, claimName);
  }
}
