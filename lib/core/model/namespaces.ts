import { NAMESPACE_NAME_LABEL } from '../labels';
import { Json, Labels, labels, obj } from './json';
import { nameOf } from './objects';

/**
 * The labels of the namespaces, as a NetworkPolicy's namespaceSelector sees
 * them: those of the Namespace objects in the manifests, plus
 * `kubernetes.io/metadata.name` on every namespace, defined here or not.
 */
export class NamespaceLabels {
  private readonly byName = new Map<string, Labels>();
  private readonly defined = new Set<string>();

  /** Records a Namespace object. */
  public add(namespace: Json): void {
    const name = nameOf(namespace);
    this.defined.add(name);
    // Object.assign, not a spread followed by a key: see "Spreads on Node 20" in docs/performance.md.
    this.byName.set(name, Object.assign({}, labels(obj(obj(namespace)?.metadata)?.labels), { [NAMESPACE_NAME_LABEL]: name }));
  }

  /** Whether the manifests define the namespace, so that its labels are all known; of another, only its name label is. */
  public isDefined(namespace: string): boolean {
    return this.defined.has(namespace);
  }

  /** The namespaces the manifests define, in the order they were added. */
  public definedNames(): string[] {
    return [...this.defined];
  }

  public of(namespace: string): Labels {
    let found = this.byName.get(namespace);
    if (!found) {
      found = { [NAMESPACE_NAME_LABEL]: namespace };
      this.byName.set(namespace, found);
    }
    return found;
  }
}
