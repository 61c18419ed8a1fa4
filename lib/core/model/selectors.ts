import { arr, JsonObject, Labels, labels, objs, str } from './json';

// Label selectors, as the API server and controllers evaluate them.

/**
 * A plain map selector (Service `spec.selector`, ReplicationController):
 * every key/value must be among the labels. An empty map matches every set of
 * labels; whether empty means "no selector" is the caller's rule.
 */
export function matchesLabels(selector: Labels, target: Labels): boolean {
  for (const k in selector) {
    if (target[k] !== selector[k]) {
      return false;
    }
  }
  return true;
}

/**
 * A metav1.LabelSelector: `matchLabels` and `matchExpressions` (In, NotIn,
 * Exists, DoesNotExist), all of which must hold. An empty selector matches
 * everything; an absent one is the caller's rule (a NetworkPolicy peer
 * without podSelector is not the same as one with `{}`).
 */
export function matchesSelector(selector: JsonObject, target: Labels): boolean {
  if (!matchesLabels(labels(selector.matchLabels), target)) {
    return false;
  }
  for (const expr of objs(selector.matchExpressions)) {
    const key = str(expr.key) ?? '';
    const has = Object.prototype.hasOwnProperty.call(target, key);
    const values = arr(expr.values).map(v => String(v));
    switch (str(expr.operator)) {
      case 'In':
        if (!has || !values.includes(target[key])) {
          return false;
        }
        break;
      case 'NotIn':
        if (has && values.includes(target[key])) {
          return false;
        }
        break;
      case 'Exists':
        if (!has) {
          return false;
        }
        break;
      case 'DoesNotExist':
        if (has) {
          return false;
        }
        break;
      default:
        // The API server rejects unknown operators: match nothing rather than guess.
        return false;
    }
  }
  return true;
}

/** The keys a LabelSelector asks about, in `matchLabels` and `matchExpressions`. */
export function selectorKeys(selector: JsonObject): string[] {
  return [...Object.keys(labels(selector.matchLabels)), ...objs(selector.matchExpressions).map(e => str(e.key) ?? '')];
}

/** The part of a LabelSelector that asks about the keys `keep` accepts. */
export function selectorOnKeys(selector: JsonObject, keep: (key: string) => boolean): JsonObject {
  const matchLabels = Object.fromEntries(Object.entries(labels(selector.matchLabels)).filter(([k]) => keep(k)));
  return { matchLabels, matchExpressions: objs(selector.matchExpressions).filter(e => keep(str(e.key) ?? '')) };
}
