// Typed reading of untyped manifests. Every rule of the model reads rendered
// objects (`ApiObject.toJson()`, or YAML parsed by the diagram) through these,
// so no `any` spreads from the manifests into the code that reasons about them.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Labels = Record<string, string>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}

export function arr(v: unknown): Json[] {
  return Array.isArray(v) ? (v as Json[]) : [];
}

/** The objects of a list. A list of objects only (every rendered one) is returned as it is, not copied. */
export function objs(v: unknown): JsonObject[] {
  if (!Array.isArray(v)) {
    return [];
  }
  for (const x of v) {
    if (!isObject(x)) {
      return v.filter(isObject);
    }
  }
  return v as JsonObject[];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A port reference as Kubernetes allows it (IntOrString): a number or a port name. */
export function portRef(v: unknown): number | string | undefined {
  return num(v) ?? str(v);
}

/**
 * A label map. YAML may read `version: 1` as a number, and Kubernetes labels
 * are strings, so scalars are read as text. A map that already holds only
 * strings (every rendered object) is returned as it is: a fleet has
 * thousands of them and nothing here changes them.
 */
export function labels(v: unknown): Labels {
  const o = obj(v);
  if (!o) {
    return {};
  }
  let plain = true;
  for (const k in o) {
    if (typeof o[k] !== 'string') {
      plain = false;
      break;
    }
  }
  if (plain) {
    return o as Labels;
  }
  const out: Labels = {};
  for (const [k, val] of Object.entries(o)) {
    if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') {
      out[k] = String(val);
    }
  }
  return out;
}
