import { declaredPortsOf, isSidecar, JsonObject, podTemplateOf, WORKLOAD_KINDS } from '../../../lib/core/model';

const podSpec: JsonObject = {
  initContainers: [
    { name: 'migrate', image: 'm:1', ports: [{ containerPort: 9000, name: 'admin' }] },
    { name: 'proxy', image: 'p:1', restartPolicy: 'Always', ports: [{ containerPort: 15001, name: 'mesh' }] },
  ],
  containers: [{ name: 'app', image: 'a:1', ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 53, protocol: 'UDP' }] }],
};
const labels = { app: 'api' };
const template = { metadata: { labels }, spec: podSpec };

const objects: Array<[string, JsonObject]> = [
  ['Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template } }],
  ['StatefulSet', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { template } }],
  ['DaemonSet', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x' }, spec: { template } }],
  ['ReplicaSet', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'x' }, spec: { template } }],
  ['ReplicationController', { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'x' }, spec: { template } }],
  ['Job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { template } }],
  ['CronJob', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } }],
  ['Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labels }, spec: podSpec }],
];

describe('pod templates', () => {
  test('every workload kind is covered by the cases below', () => {
    expect(objects.map(([k]) => k).sort()).toEqual([...WORKLOAD_KINDS].sort());
  });

  test.each(objects)('GIVEN a %s THEN its pod template gives the pod labels, every container (init first) and the declared ports', (_kind, json) => {
    const t = podTemplateOf(json);
    expect(t?.labels).toEqual(labels);
    expect(t?.containers.map(c => c.name)).toEqual(['migrate', 'proxy', 'app']);
    expect(t?.ports.map(p => `${p.container}:${p.name ?? '-'}:${p.number}/${p.protocol}`)).toEqual(['app:http:8080/TCP', 'app:-:53/UDP', 'proxy:mesh:15001/TCP']);
  });

  test('GIVEN an object of another kind THEN it has no pod template', () => {
    expect(podTemplateOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { template } })).toBeUndefined();
  });

  test('GIVEN a plain init container with ports THEN they are not declared ports: it has exited before the pod serves', () => {
    expect(isSidecar({ name: 'migrate' })).toBe(false);
    expect(declaredPortsOf({ initContainers: [{ name: 'migrate', ports: [{ containerPort: 9000 }] }], containers: [{ name: 'app' }] })).toEqual([]);
  });

  test('GIVEN a sidecar (an init container with restartPolicy Always) THEN its ports are declared ports, as for an app container', () => {
    expect(declaredPortsOf({ initContainers: [{ name: 'proxy', restartPolicy: 'Always', ports: [{ containerPort: 15001 }] }] }))
      .toEqual([{ container: 'proxy', number: 15001, name: undefined, protocol: 'TCP' }]);
  });

  test('GIVEN labels parsed from YAML as numbers THEN they are read as the strings Kubernetes compares', () => {
    const t = podTemplateOf({ kind: 'Pod', metadata: { labels: { version: 1, on: true } }, spec: {} });
    expect(t?.labels).toEqual({ version: '1', on: 'true' });
  });
});
