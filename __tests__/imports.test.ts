import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as k8s from '../imports/k8s';

// imports/k8s.ts is cdk8s's generated 1.28 bindings with one change made by
// scripts/import-k8s.js: each converter assigns only its defined fields, one
// by one, and each map field's converter (labels, data, resource quantities)
// drops undefined values in one pass, instead of json2jsii's object of every
// field and its copy-per-field filter. These tests pin that the change is
// complete and that the converters still write what json2jsii's did.

const source = fs.readFileSync(path.join(__dirname, '..', 'imports', 'k8s.ts'), 'utf-8');

/** json2jsii's own filter, as it generates it, for comparison. */
function json2jsiiFilter(result: Record<string, unknown>): Record<string, unknown> {
  return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});
}

describe('generated bindings (imports/k8s.ts)', () => {
  test('GIVEN the bindings WHEN counting converters THEN every one assigns only the fields that are defined', () => {
    const converters = source.match(/^export function toJson_/gm) ?? [];
    expect(converters.length).toBeGreaterThan(400);
    expect(source.match(/^ {2}const result: Record<string, any> = \{\};$/gm)).toHaveLength(converters.length);
    expect(source.match(/^ {2}return result;$/gm)).toHaveLength(converters.length);
    expect(source).not.toContain('const result = {');
    expect(source).not.toContain('return Object.entries(result).reduce(');
    // Every field line assigns the value it tested, and only that.
    const fields = source.match(/^ {2}if \(\(value = .+$/gm) ?? [];
    expect(fields.length).toBeGreaterThan(1500);
    expect(fields.filter(l => !/^ {2}if \(\(value = .+\) !== undefined\) \{ result\['[^']+'\] = value; \}$/.test(l))).toEqual([]);
  });

  test('GIVEN the bindings WHEN looking for map-field converters THEN none copies per field any more', () => {
    expect(source).not.toMatch(/Object\.entries\([^)]*\)\.reduce\(/);
    expect((source.match(/\(withoutUndefined\(obj\.\w+\)\)/g) ?? []).length + (source.match(/\(mapDefined\(obj\.\w+, /g) ?? []).length).toBe(34);
  });

  test('GIVEN map fields with unset values and a __proto__ key WHEN converted THEN the output equals json2jsii\'s, in the same key order', () => {
    const labels = JSON.parse('{"b": "2", "__proto__": "p", "a": "1"}') as Record<string, string>;
    const meta = k8s.toJson_ObjectMeta({ labels: { ...labels, unset: undefined as unknown as string }, annotations: {} })!;
    expect(meta.labels).toStrictEqual(json2jsiiFilter(labels));
    expect(Object.keys(meta.labels)).toEqual(['b', '__proto__', 'a']);
    expect(Object.getPrototypeOf(meta.labels)).toBe(Object.prototype);
    expect(meta.annotations).toStrictEqual({});

    const resources = k8s.toJson_ResourceRequirements({
      limits: { memory: k8s.Quantity.fromString('128Mi'), cpu: undefined as unknown as k8s.Quantity },
      requests: { cpu: k8s.Quantity.fromNumber(0.1) },
    })!;
    expect(resources).toStrictEqual({ limits: { memory: '128Mi' }, requests: { cpu: 0.1 } });
  });

  test('GIVEN a container with unset, false and empty fields WHEN converted THEN the output equals json2jsii\'s filter, in the same key order', () => {
    const container: k8s.Container = {
      name: 'web', image: 'nginx:1.27', command: undefined, args: [], tty: false, stdin: undefined,
      ports: [{ containerPort: 80, name: undefined, protocol: 'TCP' }], workingDir: '', terminationMessagePath: undefined,
    };
    const converted = k8s.toJson_Container(container)!;
    const expected = json2jsiiFilter({
      args: [], command: undefined, env: undefined, envFrom: undefined, image: 'nginx:1.27', imagePullPolicy: undefined,
      lifecycle: undefined, livenessProbe: undefined, name: 'web', ports: [{ containerPort: 80, protocol: 'TCP' }],
      readinessProbe: undefined, resizePolicy: undefined, resources: undefined, restartPolicy: undefined, securityContext: undefined,
      startupProbe: undefined, stdin: undefined, stdinOnce: undefined, terminationMessagePath: undefined,
      terminationMessagePolicy: undefined, tty: false, volumeDevices: undefined, volumeMounts: undefined, workingDir: '',
    });
    expect(converted).toStrictEqual(expected);
    expect(Object.keys(converted)).toEqual(Object.keys(expected));
    expect(Object.keys(converted.ports[0])).toEqual(['containerPort', 'protocol']);
  });

  test('GIVEN a Deployment L1 WHEN synthesized THEN no undefined field survives and fields keep schema order', () => {
    const chart = new Chart(new App(), 'test');
    new k8s.KubeDeployment(chart, 'd', {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      },
    });
    const [deployment] = Testing.synth(chart);
    expect(Object.keys(deployment)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(Object.keys(deployment.spec)).toEqual(['selector', 'template']);
    expect(deployment.spec.template.spec.containers).toStrictEqual([{ image: 'nginx:1.27', name: 'web' }]);
  });
});
