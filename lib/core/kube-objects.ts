import { ApiObject, GroupVersionKind, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { renderKubeObject, RenderingState } from './rendering';

/**
 * The generated `Kube*` classes this library makes, rendered in one pass by
 * {@link renderKubeObject}. Each is its generated class (same type, same
 * props, same output, patches and all); only `toJson()` is faster.
 */

type KubeClass<P> = (new (scope: Construct, id: string, props: P) => ApiObject) & { readonly GVK: GroupVersionKind };

export function renderedInOnePass<P, C extends KubeClass<P>>(kube: C, convert: (props: P | undefined) => Record<string, unknown> | undefined): C {
  const gvk = kube.GVK;
  // A class made by a function extends a type parameter: TypeScript allows that only with a constructor of any[].
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const base = kube as unknown as new (...args: any[]) => ApiObject;
  return class extends base {
    // Assigned, not defined as a class field: on Node 20 a field defined on objects of many
    // classes takes V8's slow path every time, and the seven classes share this constructor.
    private declare _rendering?: RenderingState;

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args);
      this._rendering = { gvk, props: args[2], convert: convert as RenderingState['convert'] };
    }

    public override addJsonPatch(...ops: JsonPatch[]): void {
      super.addJsonPatch(...ops);
      const state = this._rendering;
      if (state) {
        (state.patches ??= []).push(...ops);
      }
    }

    public override toJson(): unknown {
      return renderKubeObject(this, this._rendering!, () => super.toJson());
    }
  } as unknown as C;
}

export const KubeDeployment = renderedInOnePass(k8s.KubeDeployment, k8s.toJson_KubeDeploymentProps);
export const KubeService = renderedInOnePass(k8s.KubeService, k8s.toJson_KubeServiceProps);
export const KubeNetworkPolicy = renderedInOnePass(k8s.KubeNetworkPolicy, k8s.toJson_KubeNetworkPolicyProps);
export const KubeSecret = renderedInOnePass(k8s.KubeSecret, k8s.toJson_KubeSecretProps);
export const KubeNamespace = renderedInOnePass(k8s.KubeNamespace, k8s.toJson_KubeNamespaceProps);
export const KubePodDisruptionBudget = renderedInOnePass(k8s.KubePodDisruptionBudget, k8s.toJson_KubePodDisruptionBudgetProps);
export const KubePersistentVolumeClaim = renderedInOnePass(k8s.KubePersistentVolumeClaim, k8s.toJson_KubePersistentVolumeClaimProps);
