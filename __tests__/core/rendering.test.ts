import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import * as k8s from '../../imports/k8s';
import { KubeDeployment, KubeService, renderedInOnePass } from '../../lib/core/kube-objects';

// The one-pass rendering must write what cdk8s writes, key order included, for
// any value: its own generated class's toJson() is the reference.

/** A generated-style class that passes its props through unconverted, so any value can be tried. */
class KubeAnything extends ApiObject {
  public static readonly GVK = { apiVersion: 'example.com/v1', kind: 'Anything' };
  constructor(scope: Construct, id: string, props: Record<string, unknown> = {}) {
    super(scope, id, { ...KubeAnything.GVK, ...props });
  }
  public override toJson(): unknown {
    return { ...KubeAnything.GVK, ...(super.toJson() as object) };
  }
}
const FastAnything = renderedInOnePass(KubeAnything, (p: Record<string, unknown> | undefined) => p);

/** What cdk8s itself renders for `obj`: the generated class's own toJson(). */
function asCdk8s(obj: ApiObject, kube: { prototype: { toJson(): unknown } }): string {
  return JSON.stringify(kube.prototype.toJson.call(obj));
}

/** The output, or the error: the two must fail alike too. */
function outcome(render: () => string): string {
  try {
    return render();
  } catch (e) {
    return `error: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Values of every kind cdk8s's resolvers and sanitizer treat apart. */
const value: fc.Arbitrary<unknown> = fc.letrec(tie => ({
  leaf: fc.oneof(
    fc.string({ maxLength: 6 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.constant(undefined),
    fc.integer().map(n => k8s.IntOrString.fromNumber(n)), fc.string({ maxLength: 4 }).map(s => k8s.IntOrString.fromString(s)),
    fc.integer({ min: 0, max: 64 }).map(n => k8s.Quantity.fromString(`${n}Mi`)),
  ),
  node: fc.oneof({ depthSize: 'small' },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'B', 'b', '10', '9', 'z', '_x', 'metadata', 'kind'), tie('node'), { maxKeys: 5 }),
    tie('node').map(v => Lazy.any({ produce: () => v })),
    tie('node').map(v => ({ resolve: () => v })),
  ),
})).node;

describe('one-pass rendering of the generated Kube* classes', () => {
  test('GIVEN any props WHEN rendered THEN the output equals cdk8s\'s, key order included', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), value, { maxKeys: 6 }), props => {
      const chart = new Chart(new App(), 'c');
      const obj = new FastAnything(chart, 'o', props);
      expect(outcome(() => JSON.stringify(obj.toJson()))).toEqual(outcome(() => asCdk8s(obj, KubeAnything)));
    }), { seed: 20261206, numRuns: 400 });
  });

  test('GIVEN any metadata WHEN rendered THEN the output equals cdk8s\'s, empty values dropped as cdk8s drops them', () => {
    const strings = fc.dictionary(fc.constantFrom('a', 'B', 'b', 'z', 'app.kubernetes.io/name'), value, { maxKeys: 3 });
    const metadata = fc.record({
      name: fc.option(fc.constantFrom('web', 'db'), { nil: undefined }),
      namespace: fc.option(fc.constantFrom('shop', ''), { nil: undefined }),
      labels: fc.option(strings, { nil: undefined }),
      annotations: fc.option(strings, { nil: undefined }),
      finalizers: fc.option(fc.array(value, { maxLength: 2 }), { nil: undefined }),
      ownerReferences: fc.option(fc.array(value, { maxLength: 2 }), { nil: undefined }),
      // Any other key is rendered too (cdk8s-core#1297).
      generateName: fc.option(value, { nil: undefined }),
      managedFields: fc.option(value, { nil: undefined }),
    }, { requiredKeys: [] });
    const later = fc.array(fc.tuple(fc.constantFrom('label', 'annotation', 'finalizer', 'add'), fc.constantFrom('x', 'a'), fc.string({ maxLength: 3 })), { maxLength: 3 });
    fc.assert(fc.property(metadata, later, fc.boolean(), (meta, added, chartLabels) => {
      const chart = new Chart(new App(), 'c', chartLabels ? { labels: { team: 'a' }, namespace: 'ns' } : {});
      const obj = new FastAnything(chart, 'o', { metadata: meta, spec: { a: 1 } });
      for (const [what, key, v] of added) {
        if (what === 'label') obj.metadata.addLabel(key, v);
        else if (what === 'annotation') obj.metadata.addAnnotation(key, v);
        else if (what === 'finalizer') obj.metadata.addFinalizers(v);
        else obj.metadata.add(key, Lazy.any({ produce: () => v }));
      }
      expect(outcome(() => JSON.stringify(obj.toJson()))).toEqual(outcome(() => asCdk8s(obj, KubeAnything)));
    }), { seed: 20261206, numRuns: 400 });
  });

  test('GIVEN lazy values WHEN rendered THEN they are produced in the order cdk8s produces them', () => {
    const order: string[] = [];
    const lazy = (name: string) => Lazy.any({ produce: () => { order.push(name); return name; } });
    const chart = new Chart(new App(), 'c');
    const obj = new FastAnything(chart, 'o', { z: lazy('z'), a: { y: lazy('y'), b: lazy('b') } });
    obj.toJson();
    const fast = [...order];
    order.length = 0;
    asCdk8s(obj, KubeAnything);
    expect(fast).toEqual(order);
  });

  test('GIVEN a typed Deployment with labels, patches and quantities WHEN rendered THEN the output equals KubeDeployment\'s', () => {
    const chart = new Chart(new App(), 'c', { labels: { team: 'a' } });
    const d = new KubeDeployment(chart, 'd', {
      metadata: { name: 'web', annotations: { note: 'x' } },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        strategy: { rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { limits: { memory: k8s.Quantity.fromString(`${Size.mebibytes(64).toMebibytes()}Mi`) } } }] },
        },
      },
    });
    d.metadata.addLabel('late', 'yes');
    d.addJsonPatch(JsonPatch.add('/spec/replicas', 3), JsonPatch.remove('/metadata/annotations'));
    expect(JSON.stringify(d.toJson())).toBe(asCdk8s(d, k8s.KubeDeployment));
    expect(d.toJson()).toMatchObject({ spec: { replicas: 3 }, metadata: { labels: { late: 'yes', team: 'a' } } });
  });

  test('GIVEN an App with a resolver of its own WHEN rendered THEN the resolver sees every value with its key path, as in cdk8s', () => {
    const seen: string[] = [];
    const resolver: IResolver = {
      resolve(context: ResolutionContext) {
        seen.push(context.key.join('.'));
        if (context.value === 'secret') {
          context.replaceValue('hidden');
        }
      },
    };
    const chart = new Chart(new App({ resolvers: [resolver] }), 'c');
    const s = new KubeService(chart, 's', { metadata: { name: 's', labels: { v: 'secret' } }, spec: { ports: [{ port: 80 }] } });
    expect(s.toJson()).toMatchObject({ metadata: { labels: { v: 'hidden' } }, spec: { ports: [{ port: 80 }] } });
    expect(seen).toContain('spec.ports.0.port');
  });

  test('GIVEN CDK8S_DISABLE_SORT WHEN rendered THEN keys keep their written order, as in cdk8s', () => {
    const chart = new Chart(new App(), 'c');
    const obj = new FastAnything(chart, 'o', { z: 1, a: { y: 2, b: 3 } });
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expect(JSON.stringify(obj.toJson())).toBe(asCdk8s(obj, KubeAnything));
      expect(Object.keys((obj.toJson() as { a: object }).a)).toEqual(['y', 'b']);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });

  test('GIVEN a value cdk8s cannot render WHEN rendered THEN the error is cdk8s\'s', () => {
    const chart = new Chart(new App(), 'c');
    const obj = new FastAnything(chart, 'o', { when: new Date(0) });
    expect(() => asCdk8s(obj, KubeAnything)).toThrow(/can't render non-simple object of type 'Date'/);
    expect(() => obj.toJson()).toThrow(`Failed serializing construct at path 'c/o' with name '${obj.name}': Error: can't render non-simple object of type 'Date'`);
  });
});
