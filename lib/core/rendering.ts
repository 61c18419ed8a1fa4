import { ApiObject, ApiObjectMetadataDefinition, App, GroupVersionKind, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/**
 * How this library's API objects render: what cdk8s's `ApiObject.toJson()`
 * and the generated `Kube*` classes of `imports/` write, value for value, in
 * one pass instead of three.
 *
 * cdk8s renders an object by resolving every value of it with the App's
 * resolvers (a context object and a copied key path for each string and
 * number), then walking the result again to drop empty values and sort keys,
 * then converting the property names. With cdk8s's own three resolvers
 * (`Lazy`, implicit tokens, number-or-string unions), which are all an App has
 * unless its props add some, what a resolver does to a value depends only on
 * the value, so one walk can resolve, sanitize and sort. An App with a
 * resolver of its own renders the way cdk8s does, through `resolve`, since
 * such a resolver may look at any value and its key path. The metadata is
 * rendered by the same walk, with cdk8s's filtering of empty values; JSON
 * patches and the order of the top-level keys are cdk8s's own.
 */
export interface RenderingState {
  /** The kind's apiVersion and kind. */
  readonly gvk: GroupVersionKind;
  /** The props the object was made with. */
  readonly props?: object;
  /** The generated `toJson_Kube*Props` of the kind. */
  readonly convert: (props: never) => Record<string, unknown> | undefined;
  /** The JSON patches added to the object, if any. */
  patches?: JsonPatch[];
}

type Json = Record<string, unknown>;

/**
 * True for the App's resolvers when they are cdk8s's own three, in cdk8s's order. Read at
 * every render, not remembered: `app.resolvers` is an array a user may still add to.
 */
function usesDefaultResolvers(app: App): boolean {
  const r = app.resolvers;
  return r.length === 3 && r[0].constructor === LazyResolver && r[1].constructor === ImplicitTokenResolver && r[2].constructor === NumberStringUnionResolver;
}

/**
 * `sanitizeValue(resolve([], value, obj), { sortKeys, filterEmptyArrays: filterEmpty,
 * filterEmptyObjects: filterEmpty })` of cdk8s with its default resolvers. Lazy
 * values are produced in the order `resolve` produces them (depth first, in the
 * order of the keys as written), before the keys are sorted.
 */
function resolveAndSanitize(value: unknown, sortKeys: boolean, filterEmpty = false): unknown {
  let v = value;
  // The resolvers, in cdk8s's order; a replaced value is resolved again from the first.
  for (;;) {
    if (v === null || v === undefined) {
      return undefined;
    }
    if (typeof v !== 'object' && typeof v !== 'function') {
      return v; // a string, number or boolean: no resolver touches it
    }
    const o = v as { resolve?: unknown; value?: unknown; constructor?: unknown };
    if (v instanceof Lazy) {
      v = v.produce();
    } else if (typeof o.resolve === 'function') {
      v = (o.resolve as () => unknown)();
    } else if (o.constructor !== Object && (typeof o.value === 'number' || typeof o.value === 'string')) {
      v = { value: o.value };
    } else {
      break;
    }
  }
  if (Array.isArray(v)) {
    if (filterEmpty && v.length === 0) {
      return undefined;
    }
    const items: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      items[i] = resolveAndSanitize(v[i], sortKeys, filterEmpty);
    }
    return items;
  }
  if ((v as object).constructor === Object) {
    const source = v as Json;
    const keys = Object.keys(source);
    const out: Json = {};
    let kept = 0;
    if (!sortKeys || isSorted(keys)) {
      // Written order is output order: each value is resolved and placed in one go.
      for (let i = 0; i < keys.length; i++) {
        const value = resolveAndSanitize(source[keys[i]], sortKeys, filterEmpty);
        if (value !== undefined && value !== null) {
          out[keys[i]] = value;
          kept++;
        }
      }
    } else {
      // Resolved in written order (the order lazy values are produced in), placed in sorted order.
      const values: unknown[] = new Array(keys.length);
      for (let i = 0; i < keys.length; i++) {
        values[i] = resolveAndSanitize(source[keys[i]], sortKeys, filterEmpty);
      }
      for (const i of sortedOrder(keys)) {
        const value = values[i];
        if (value !== undefined && value !== null) {
          out[keys[i]] = value;
          kept++;
        }
      }
    }
    return filterEmpty && kept === 0 ? undefined : out;
  }
  // `resolve` leaves any other object as it is, and cdk8s then refuses it, or walks it unresolved.
  return sanitizeOnly(v, sortKeys, filterEmpty);
}

/** The indexes of `keys` in sorted order: an insertion sort, as objects have a few keys. */
function sortedOrder(keys: string[]): number[] {
  const order: number[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    let j = i;
    while (j > 0 && keys[order[j - 1]] > keys[i]) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  return order;
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      return false;
    }
  }
  return true;
}

/** cdk8s's `sanitizeValue`, for what `resolve` does not walk into. */
function sanitizeOnly(v: unknown, sortKeys: boolean, filterEmpty: boolean): unknown {
  if (v === null || v === undefined) {
    return undefined;
  }
  if (typeof v !== 'object') {
    return v;
  }
  if (Array.isArray(v)) {
    return filterEmpty && v.length === 0 ? undefined : v.map(x => sanitizeOnly(x, sortKeys, filterEmpty));
  }
  // As cdk8s reads it: an object without a prototype fails here the way it fails in cdk8s.
  const name = (v as { constructor: { name: string } }).constructor.name;
  if (name !== 'Object') {
    throw new Error(`can't render non-simple object of type '${name}'`);
  }
  const source = v as Json;
  const keys = sortKeys ? Object.keys(source).sort() : Object.keys(source);
  const out: Json = {};
  let kept = 0;
  for (const k of keys) {
    const s = sanitizeOnly(source[k], sortKeys, filterEmpty);
    if (s !== undefined && s !== null) {
      out[k] = s;
      kept++;
    }
  }
  return filterEmpty && kept === 0 ? undefined : out;
}

/** The fields `ApiObjectMetadataDefinition.toJson()` renders (private in its type, plain fields at run time). */
interface MetadataFields {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels: object;
  readonly annotations: object;
  readonly finalizers: unknown[];
  readonly ownerReferences: unknown[];
  readonly _additionalAttributes: object;
  readonly toJson: unknown;
}

/**
 * `obj.metadata.toJson()`: cdk8s resolves the metadata, then drops empty
 * values and sorts the keys (always, whatever `CDK8S_DISABLE_SORT` says).
 * A metadata object of another shape (a subclass, another cdk8s version)
 * renders itself.
 */
function renderMetadata(obj: ApiObject): unknown {
  const m = obj.metadata as unknown as MetadataFields;
  const kind: unknown = m.constructor;
  if (kind !== ApiObjectMetadataDefinition || !hasMetadataFields(m)) {
    return obj.metadata.toJson();
  }
  // Object.assign, not a spread followed by keys: see UNSET_METADATA.
  return resolveAndSanitize(Object.assign({}, m._additionalAttributes, {
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  }), true, true);
}

function hasMetadataFields(m: MetadataFields): boolean {
  return Object.prototype.hasOwnProperty.call(m, '_additionalAttributes') && typeof m.labels === 'object' && typeof m.annotations === 'object'
    && Array.isArray(m.finalizers) && Array.isArray(m.ownerReferences) && m.toJson === ApiObjectMetadataDefinition.prototype.toJson;
}

/**
 * Laid over the props, which are rendered without their metadata (renderMetadata renders it).
 * The objects rendered are built with Object.assign: Node 20's V8 gives each object made by a
 * spread followed by keys (`{ ...a, key }`) a hidden class of its own, so every later read of
 * it misses its caches.
 */
const UNSET_METADATA = { metadata: undefined };

/**
 * What `toJson()` of a generated `Kube*` class returns for `obj`, made with
 * `state.props`; `slow` is that `toJson()` itself, for an App with resolvers
 * of its own.
 */
export function renderKubeObject(obj: ApiObject, state: RenderingState, slow: () => unknown): unknown {
  // The root of the tree is what App.of walks up to; the node keeps it.
  if (!usesDefaultResolvers(obj.node.root as App)) {
    return slow();
  }
  let json: Json;
  try {
    const sortKeys = process.env.CDK8S_DISABLE_SORT ? false : true;
    // The data ApiObject.toJson() renders: the generated class passes its GVK and props, merged, to ApiObject.
    // The metadata is rendered first, as cdk8s does; walking it again would change nothing.
    const metadata = renderMetadata(obj);
    const sanitized = resolveAndSanitize(Object.assign({}, state.gvk, state.props, UNSET_METADATA), sortKeys) as Json;
    if (metadata !== undefined && metadata !== null) {
      sanitized.metadata = metadata;
    }
    const patched = state.patches === undefined ? sanitized : JsonPatch.apply(sanitized, ...state.patches) as Json;
    json = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
      if (k in patched) {
        json[k] = patched[k];
      }
    }
  } catch (e) {
    throw new Error(`Failed serializing construct at path '${obj.node.path}' with name '${obj.name}': ${e}`);
  }
  return Object.assign({}, state.gvk, state.convert(json as never));
}

