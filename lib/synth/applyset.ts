import { createHash } from 'crypto';
import * as path from 'path';

/**
 * The ApplySet parent of a stack file whose objects span several namespaces
 * (docs/upgrades.md). kubectl puts a Secret parent in the namespace of `-n`,
 * and `-n` refuses objects of any other namespace, so such a file needs a
 * cluster-scoped parent: an object of a custom resource type whose
 * CustomResourceDefinition carries `applyset.kubernetes.io/is-parent-type`
 * (KEP-3659). kubectl does not create such a parent; the documented upgrade
 * creates it once, from the file this module describes.
 */

/** The API group of the parent type. */
export const APPLYSET_GROUP = 'cdk8s-voting-app.io';
/** The kind of the parent type. */
export const APPLYSET_KIND = 'ApplySet';
const PLURAL = 'applysets';
/** The parent type as `--applyset` names it: `<plural>.<group>`. */
export const APPLYSET_RESOURCE = `${PLURAL}.${APPLYSET_GROUP}`;

/** The folder, beside a stack file, of its parent's file: `kubectl apply -f <folder>` does not read subfolders. */
export const PARENT_FOLDER = 'applyset';

/** The parent's file of a stack file: `fleet/fleet.k8s.yaml` -> `fleet/applyset/fleet.k8s.yaml`. */
export function parentFileOf(file: string): string {
  return path.join(path.dirname(file), PARENT_FOLDER, path.basename(file));
}

/** The parent's name: the stack file's name without its extension (`fleet.k8s.yaml` -> `fleet`). */
export function parentNameOf(file: string): string {
  return path.basename(file).replace(/(\.k8s)?\.yaml$/, '');
}

/**
 * kubectl's id of the set a cluster-scoped parent of this type tracks:
 * `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`, the
 * namespace empty. kubectl refuses a parent whose `applyset.kubernetes.io/id`
 * label differs from it.
 */
export function applySetId(name: string): string {
  const hash = createHash('sha256').update([name, '', APPLYSET_KIND, APPLYSET_GROUP].join('.')).digest('base64url');
  return `applyset-${hash}-v1`;
}

/**
 * The CustomResourceDefinition of the parent type, labelled as one kubectl
 * accepts. It goes to the keep file: applied without pruning, never deleted
 * by an upgrade (deleting it would delete the parents).
 */
export function parentTypeDefinition(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      labels: { 'applyset.kubernetes.io/is-parent-type': 'true' },
      name: APPLYSET_RESOURCE,
    },
    spec: {
      group: APPLYSET_GROUP,
      names: { kind: APPLYSET_KIND, listKind: `${APPLYSET_KIND}List`, plural: PLURAL, singular: APPLYSET_KIND.toLowerCase() },
      scope: 'Cluster',
      versions: [{
        name: 'v1',
        // A parent holds only metadata: its members are labelled with its id, kinds and namespaces are its annotations.
        schema: { openAPIV3Schema: { description: 'The parent of a kubectl ApplySet whose members span several namespaces (KEP-3659).', type: 'object' } },
        served: true,
        storage: true,
      }],
    },
  };
}

/**
 * The parent of the stack written to `file`, as created before its first
 * ApplySet run: its id, kubectl as its tooling, and an empty set of kinds.
 * kubectl keeps the kinds and namespaces up to date from then on; the file is
 * only for creating it (server-side apply as `kubectl-applyset`, docs/upgrades.md),
 * never to be applied over it.
 */
export function parentObject(file: string): Record<string, unknown> {
  const name = parentNameOf(file);
  return {
    apiVersion: `${APPLYSET_GROUP}/v1`,
    kind: APPLYSET_KIND,
    metadata: {
      annotations: {
        'applyset.kubernetes.io/contains-group-kinds': '',
        'applyset.kubernetes.io/tooling': 'kubectl/v1',
      },
      labels: { 'applyset.kubernetes.io/id': applySetId(name) },
      name,
    },
  };
}
