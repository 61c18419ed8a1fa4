import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as k8s from '../imports/k8s';

// imports/k8s.ts is cdk8s's generated 1.28 bindings with one change made by
// scripts/import-k8s.js: each converter drops undefined fields in one pass
// instead of json2jsii's copy-per-field filter. These tests pin that the
// change is complete and that the converters still write what json2jsii's did.

const source = fs.readFileSync(path.join(__dirname, '..', 'imports', 'k8s.ts'), 'utf-8');

/** json2jsii's own filter, as it generates it, for comparison. */
function json2jsiiFilter(result: Record<string, unknown>): Record<string, unknown> {
  return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});
}

describe('generated bindings (imports/k8s.ts)', () => {
  test('GIVEN the bindings WHEN counting converters THEN every one filters undefined fields with the linear helper', () => {
    const converters = source.match(/^export function toJson_/gm) ?? [];
    expect(converters.length).toBeGreaterThan(400);
    expect(source.match(/^ {2}return withoutUndefined\(result\);$/gm)).toHaveLength(converters.length);
    expect(source).not.toContain('return Object.entries(result).reduce(');
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
    const chart = new Chart(Testing.app(), 'test');
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
