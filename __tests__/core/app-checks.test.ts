import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { EnvValue, Secret, ServiceType } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AppNamespace, ClusterDns, Connection, ContainerPort, Credentials, Exposure, ExternalObjects, IngressPolicy, Microservice, PodSecurityLevel, ProblemSeverity, Synthesizer, VotingApp, Workload } from '../../lib';
import { synthesize, validateApp } from '../../lib/synth/synthesizer';
import { NodePortRange } from '../../lib/core/node-port-range';
import { checkWiring, objectsInOrder } from '../../lib/core/app-checks';
import { tempDir } from '../support/tmp';
import { messagesOf } from '../support/problems';

/** A raw Deployment made with the generated bindings, as a user of plain cdk8s would write it. */
function rawDeployment(scope: Construct, id: string, opts: { name?: string; labels?: Record<string, string>; ports?: k8s.ContainerPort[]; env?: k8s.EnvVar[]; volumes?: k8s.Volume[]; namespace?: string } = {}) {
  const labels = opts.labels ?? { app: 'backend' };
  return new k8s.KubeDeployment(scope, id, {
    metadata: { name: opts.name ?? 'backend', namespace: opts.namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          // Every volume is mounted: the kubelet skips a volume no container mounts, so only a mounted one is a reference.
          containers: [{ name: 'main', image: 'hashicorp/http-echo:1.0', ports: opts.ports ?? [{ containerPort: 5678, name: 'http' }], env: opts.env, volumeMounts: opts.volumes?.map(v => ({ name: v.name, mountPath: `/mnt/${v.name}` })) }],
          volumes: opts.volumes,
        },
      },
    },
  });
}

function rawService(scope: Construct, id: string, opts: { name?: string; selector?: Record<string, string>; port?: number; targetPort?: number | string; nodePort?: number; type?: string; namespace?: string } = {}) {
  return new k8s.KubeService(scope, id, {
    metadata: { name: opts.name ?? 'backend-svc', namespace: opts.namespace },
    spec: {
      type: opts.type ?? (opts.nodePort ? 'NodePort' : 'ClusterIP'),
      selector: opts.selector ?? { app: 'backend' },
      ports: [{
        port: opts.port ?? 9090, nodePort: opts.nodePort,
        targetPort: opts.targetPort === undefined ? k8s.IntOrString.fromNumber(5678)
          : typeof opts.targetPort === 'number' ? k8s.IntOrString.fromNumber(opts.targetPort) : k8s.IntOrString.fromString(opts.targetPort),
      }],
    },
  });
}

/** A NodePort Service whose ports 53/TCP and 53/<second> share node port 30053. */
function dnsService(scope: Construct, second: string) {
  return new k8s.KubeService(scope, 'dns', {
    metadata: { name: 'dns' },
    spec: {
      type: 'NodePort', selector: { app: 'backend' },
      ports: [
        { name: 'dns-tcp', port: 53, protocol: 'TCP', nodePort: 30053, targetPort: k8s.IntOrString.fromNumber(5678) },
        { name: 'dns-second', port: 54, protocol: second, nodePort: 30053, targetPort: k8s.IntOrString.fromNumber(5678) },
      ],
    },
  });
}

const secretEnv = (name: string, key: string): k8s.EnvVar[] => [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name, key } } }];

// Each case builds a broken App in chart "c" (namespace "shop") and expects exactly these problems.
const cases: Array<[string, (c: Chart) => void, string[]]> = [
  ['a Service selector that matches no pod', c => { rawDeployment(c, 'd'); rawService(c, 's', { selector: { app: 'backnd' } }); },
    ['[c/s] CVA201 Service shop/backend-svc: selector app=backnd matches no pod template in namespace shop, so the Service routes nowhere. Fix: make the selector match the pod labels of one of: Deployment backend (app=backend)']],
  ['a Service selector matching pods only in another namespace', c => { rawDeployment(c, 'd', { namespace: 'other' }); rawService(c, 's'); },
    ['[c/s] CVA201 Service shop/backend-svc: selector app=backend matches no pod template in namespace shop, so the Service routes nowhere. Fix: a Service only selects pods of its own namespace, and the matching pods are in other: put the Service and the workload in one namespace']],
  ['a Service with no workload at all', c => { rawService(c, 's'); },
    ['[c/s] CVA201 Service shop/backend-svc: selector app=backend matches no pod template in namespace shop, so the Service routes nowhere. Fix: add a workload with pod labels app=backend to namespace shop']],
  ['a numeric targetPort no container declares', c => { rawDeployment(c, 'd'); rawService(c, 's', { targetPort: 9090 }); },
    ['[c/s] CVA202 Service shop/backend-svc: port 9090 targets container port 9090/TCP, which no selected container (backend) declares. Fix: set targetPort to one of the declared ports: http (5678)']],
  ['a named targetPort no container declares', c => { rawDeployment(c, 'd'); rawService(c, 's', { targetPort: 'web' }); },
    ['[c/s] CVA202 Service shop/backend-svc: port 9090 targets the port named web/TCP, which no selected container (backend) declares. Fix: set targetPort to one of the declared ports: http (5678)']],
  ['a targetPort defaulting to a port nobody declares', c => { rawDeployment(c, 'd'); new k8s.KubeService(c, 's', { metadata: { name: 'backend-svc' }, spec: { selector: { app: 'backend' }, ports: [{ port: 80 }] } }); },
    ['[c/s] CVA202 Service shop/backend-svc: port 80 targets container port 80/TCP, which no selected container (backend) declares. Fix: set targetPort to one of the declared ports: http (5678)']],
  ['a secretKeyRef to a Secret the App does not define', c => { rawDeployment(c, 'd', { env: secretEnv('db-pass', 'password') }); },
    ['[c/d] CVA203 Deployment shop/backend: env PASSWORD of container main refers to Secret db-pass, which the App does not define in namespace shop. Fix: define the Secret, fix the name, or declare it provided outside the App with ExternalObjects.secret(scope, \'db-pass\')']],
  ['a secretKeyRef to a key the Secret lacks', c => { new k8s.KubeSecret(c, 'sec', { metadata: { name: 'db-pass' }, stringData: { pass: 'x' } }); rawDeployment(c, 'd', { env: secretEnv('db-pass', 'password') }); },
    ['[c/d] CVA203 Deployment shop/backend: env PASSWORD of container main refers to key "password" of Secret db-pass, which has only: pass. Fix: use one of those keys, or add the key to the object']],
  ['a configMapKeyRef to a missing ConfigMap', c => { rawDeployment(c, 'd', { env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }] }); },
    ['[c/d] CVA203 Deployment shop/backend: env MODE of container main refers to ConfigMap settings, which the App does not define in namespace shop. Fix: define the ConfigMap, fix the name, or declare it provided outside the App with ExternalObjects.configMap(scope, \'settings\')']],
  ['a configMapKeyRef to a missing key', c => { new k8s.KubeConfigMap(c, 'cm', { metadata: { name: 'settings' }, data: { level: 'debug' } }); rawDeployment(c, 'd', { env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }] }); },
    ['[c/d] CVA203 Deployment shop/backend: env MODE of container main refers to key "mode" of ConfigMap settings, which has only: level. Fix: use one of those keys, or add the key to the object']],
  ['a Secret volume of a missing Secret', c => { rawDeployment(c, 'd', { volumes: [{ name: 'tls', secret: { secretName: 'tls-cert' } }] }); },
    ['[c/d] CVA203 Deployment shop/backend: volume tls refers to Secret tls-cert, which the App does not define in namespace shop. Fix: define the Secret, fix the name, or declare it provided outside the App with ExternalObjects.secret(scope, \'tls-cert\')']],
  ['an external Secret declared for another namespace', c => { ExternalObjects.secret(c, 'vault', { namespace: 'db' }); rawDeployment(c, 'd', { env: secretEnv('vault', 'password') }); },
    ['[c/d] CVA203 Deployment shop/backend: env PASSWORD of container main refers to Secret vault, which the App does not define in namespace shop (it is declared outside the App in namespace db, and a pod reads only its own namespace\'s). Fix: provide the Secret in namespace shop too and declare it there with ExternalObjects.secret(scope, \'vault\', { namespace: \'shop\' })']],
  ['an external Secret without the key used', c => { ExternalObjects.secret(c, 'vault', { namespace: 'shop', keys: ['user'] }); rawDeployment(c, 'd', { env: secretEnv('vault', 'password') }); },
    ['[c/d] CVA203 Deployment shop/backend: env PASSWORD of container main refers to key "password" of Secret vault, which has only: user. Fix: use one of those keys, or add the key to the object']],
  ['a node port below the range', c => { rawDeployment(c, 'd'); rawService(c, 's', { nodePort: 8080 }); },
    ['[c/s] CVA204 Service shop/backend-svc: node port 8080 is outside the node port range 30000-32767. Fix: choose a node port from 30000 to 32767, or omit it to let Kubernetes pick one']],
  ['a node port above the range', c => { rawDeployment(c, 'd'); rawService(c, 's', { nodePort: 40000 }); },
    ['[c/s] CVA204 Service shop/backend-svc: node port 40000 is outside the node port range 30000-32767. Fix: choose a node port from 30000 to 32767, or omit it to let Kubernetes pick one']],
  ['one node port used twice, across namespaces', c => { rawDeployment(c, 'd'); rawService(c, 's', { nodePort: 31000 }); rawDeployment(c, 'd2', { namespace: 'other' }); rawService(c, 's2', { nodePort: 31000, namespace: 'other' }); },
    ['[c/s2] CVA204 Service other/backend-svc: node port 31000 is already used by Service shop/backend-svc (c/s); node ports are cluster-wide. Fix: give each Service its own node port, or omit it to let Kubernetes pick one']],
  ['one node port given to two TCP ports of one Service', c => { rawDeployment(c, 'd'); dnsService(c, 'TCP'); },
    ['[c/dns] CVA204 Service shop/dns: node port 30053 is given to two TCP ports of this Service. Fix: give each port its own node port (one node port serves one port per protocol), or omit it to let Kubernetes pick one']],
  ['a Service name that is not a DNS-1035 label', c => { rawDeployment(c, 'd'); rawService(c, 's', { name: '1backend' }); },
    ['[c/s] CVA101 Service shop/1backend: name "1backend" is not a valid DNS-1035 label (at most 63 lower-case letters, digits and "-", starting with a letter). Fix: rename it, e.g. to lower-case words joined by "-"']],
  ['a Deployment name with upper case', c => { rawDeployment(c, 'd', { name: 'Backend' }); },
    ['[c/d] CVA101 Deployment shop/Backend: name "Backend" is not a valid DNS-1123 subdomain (at most 253 lower-case letters, digits and "-"). Fix: rename it, e.g. to lower-case words joined by "-"']],
  ['a bad namespace on a Deployment and its Service: one mistake, reported once', c => { rawDeployment(c, 'd', { namespace: 'Shop_NS' }); rawService(c, 's', { namespace: 'Shop_NS' }); },
    ['[c/d] CVA101 Deployment Shop_NS/backend: namespace "Shop_NS" is not a valid DNS-1123 label. Fix: use lower-case letters, digits and "-", at most 63']],
  ['a Service name longer than 63 characters', c => { rawDeployment(c, 'd'); rawService(c, 's', { name: `svc-${'x'.repeat(60)}` }); },
    [`[c/s] CVA101 Service shop/svc-${'x'.repeat(60)}: name "svc-${'x'.repeat(60)}" is not a valid DNS-1035 label (at most 63 lower-case letters, digits and "-", starting with a letter). Fix: rename it, e.g. to lower-case words joined by "-"`]],
  ['a label value Kubernetes rejects', c => { rawDeployment(c, 'd', { labels: { app: 'back end' } }); },
    ['[c/d] CVA101 Deployment shop/backend: label app="back end" is not a valid label value. Fix: use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit']],
  ['one bad label value on two objects, beside good ones: reported on each', c => {
    rawDeployment(c, 'd', { labels: { app: 'backend', tier: 'back end' } });
    rawDeployment(c, 'd2', { name: 'backend-2', labels: { app: 'backend', tier: 'back end' } });
  }, [
    '[c/d] CVA101 Deployment shop/backend: label tier="back end" is not a valid label value. Fix: use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
    '[c/d2] CVA101 Deployment shop/backend-2: label tier="back end" is not a valid label value. Fix: use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  ]],
  ['two objects of one kind with one name in one namespace', c => { rawDeployment(c, 'd'); rawDeployment(c, 'd2'); },
    ['[c/d2] CVA107 Deployment shop/backend: has the same name as the object at c/d, so one would overwrite the other. Fix: give one of them another name']],
  ['the voting app without its redis Service', c => {
    const app = new VotingApp(c, 'app', { credentials: Credentials.fromPassword({ password: 'p' }) });
    app.redis.service?.addJsonPatch(JsonPatch.replace('/metadata/name', 'cache'));
  }, [
    '[c/app/Vote/FrontEnd/Workload/ConnectsTo-redis] CVA203 vote reaches redis through the Service "redis", but no Service "redis" exists in namespace shop. Fix: add a Service named exactly "redis" to namespace shop (for an outside host, an ExternalNameService), or ExternalObjects.service(scope, \'redis\')',
    '[c/app/Worker/Workload/ConnectsTo-redis] CVA203 worker reaches redis through the Service "redis", but no Service "redis" exists in namespace shop. Fix: add a Service named exactly "redis" to namespace shop (for an outside host, an ExternalNameService), or ExternalObjects.service(scope, \'redis\')',
  ]],
  // The rules of lib/core/model, one case each where synth reports something.
  ['a named targetPort only a plain init container declares (it has exited before the pod serves)', c => {
    const d = rawDeployment(c, 'd', { ports: [] });
    d.addJsonPatch(JsonPatch.add('/spec/template/spec/initContainers', [{ name: 'migrate', image: 'm:1', ports: [{ containerPort: 5678, name: 'http' }] }]));
    rawService(c, 's', { targetPort: 'http' });
  }, ['[c/s] CVA202 Service shop/backend-svc: port 9090 targets the port named http/TCP, which no selected container (backend) declares. Fix: set targetPort to one of the declared ports: none']],
  ['a named targetPort one of two selected workloads lacks (resolved pod by pod, as the endpoints controller does)', c => {
    rawDeployment(c, 'd', { labels: { app: 'backend', track: 'stable' } });
    rawDeployment(c, 'd2', { name: 'backend-canary', labels: { app: 'backend', track: 'canary' }, ports: [{ containerPort: 5678, name: 'web' }] });
    rawService(c, 's', { targetPort: 'http' });
  }, ['[c/s] CVA202 Service shop/backend-svc: port 9090 targets the port named http/TCP, which no selected container (backend-canary) declares. Fix: set targetPort to one of the declared ports: web (5678)']],
  ['a Secret volume with items, of a missing Secret: reported once, not once per item', c => {
    rawDeployment(c, 'd', { volumes: [{ name: 'tls', secret: { secretName: 'tls-cert', items: [{ key: 'tls.crt', path: 'c' }, { key: 'tls.key', path: 'k' }] } }] });
  }, ['[c/d] CVA203 Deployment shop/backend: volume tls refers to Secret tls-cert, which the App does not define in namespace shop. Fix: define the Secret, fix the name, or declare it provided outside the App with ExternalObjects.secret(scope, \'tls-cert\')']],
  ['a ConfigMap volume item naming a key the ConfigMap lacks', c => {
    new k8s.KubeConfigMap(c, 'cm', { metadata: { name: 'settings' }, data: { level: 'debug' } });
    rawDeployment(c, 'd', { volumes: [{ name: 'cfg', configMap: { name: 'settings', items: [{ key: 'level', path: 'l' }, { key: 'mode', path: 'm' }] } }] });
  }, ['[c/d] CVA203 Deployment shop/backend: volume cfg refers to key "mode" of ConfigMap settings, which has only: level. Fix: use one of those keys, or add the key to the object']],
  ['a projected volume source of a missing Secret', c => {
    rawDeployment(c, 'd', { volumes: [{ name: 'all', projected: { sources: [{ secret: { name: 'api-token' } }] } }] });
  }, ['[c/d] CVA203 Deployment shop/backend: volume all refers to Secret api-token, which the App does not define in namespace shop. Fix: define the Secret, fix the name, or declare it provided outside the App with ExternalObjects.secret(scope, \'api-token\')']],
  ['a secretKeyRef of an init container to a missing Secret', c => {
    const d = rawDeployment(c, 'd');
    d.addJsonPatch(JsonPatch.add('/spec/template/spec/initContainers', [{ name: 'migrate', image: 'm:1', env: secretEnv('db-pass', 'password') }]));
  }, ['[c/d] CVA203 Deployment shop/backend: env PASSWORD of container migrate refers to Secret db-pass, which the App does not define in namespace shop. Fix: define the Secret, fix the name, or declare it provided outside the App with ExternalObjects.secret(scope, \'db-pass\')']],
  ['one Deployment written with two versions of its API group', c => {
    rawDeployment(c, 'd');
    new ApiObject(c, 'd2', { apiVersion: 'apps/v1beta2', kind: 'Deployment', metadata: { name: 'backend' } });
  }, ['[c/d2] CVA107 Deployment shop/backend: has the same name as the object at c/d, so one would overwrite the other. Fix: give one of them another name']],
  ['a Service selecting a CronJob\'s pods on a port they do not declare', c => {
    new k8s.KubeCronJob(c, 'cj', { metadata: { name: 'report' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { metadata: { labels: { app: 'backend' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'r:1', ports: [{ containerPort: 8080 }] }] } } } } } });
    rawService(c, 's');
  }, ['[c/s] CVA202 Service shop/backend-svc: port 9090 targets container port 5678/TCP, which no selected container (report) declares. Fix: set targetPort to one of the declared ports: - (8080)']],
];

function tmpOut(): string {
  const dir = path.join(tempDir('wiring-'), 'dist');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'previous.k8s.yaml'), 'kind: Previous\n');
  return dir;
}

/** Runs the synth entry point and returns what it printed and the exit code it set. */
function runSynthCapturing(build: () => App, outdir: string): { out: string; exitCode: typeof process.exitCode } {
  const stderr: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  try {
    Synthesizer.run(build(), { outdir });
    return { out: stderr.join(''), exitCode: process.exitCode };
  } finally {
    spy.mockRestore();
    process.exitCode = 0;
  }
}

describe('checkWiring: mistakes the API server accepts and then fail silently', () => {
  test.each(cases)('%s', (_title, build, expected) => {
    // GIVEN an App with one mistake
    const app = new App();
    build(new Chart(app, 'c', { namespace: 'shop' }));
    // THEN the check names it exactly
    const problems = messagesOf(checkWiring(app));
    expect(problems).toHaveLength(expected.length);
    expect(problems.map((p, i) => p.slice(0, expected[i].length))).toEqual(expected);
    // AND synth fails without touching the previous output
    const outdir = tmpOut();
    expect(() => synthesize(app, { outdir })).toThrow(expected[0]);
    expect(fs.readdirSync(outdir)).toEqual(['previous.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'previous.k8s.yaml'), 'utf-8')).toBe('kind: Previous\n');
  });

  describe('what Kubernetes accepts and runs is not reported', () => {
    const clean = (build: (c: Chart) => void): string[] => {
      const app = new App();
      build(new Chart(app, 'c', { namespace: 'shop' }));
      return messagesOf(checkWiring(app));
    };

    test('GIVEN a named targetPort a sidecar declares (init container, restartPolicy Always) THEN it resolves', () => {
      expect(clean(c => {
        const d = rawDeployment(c, 'd', { ports: [] });
        d.addJsonPatch(JsonPatch.add('/spec/template/spec/initContainers', [{ name: 'proxy', image: 'p:1', restartPolicy: 'Always', ports: [{ containerPort: 5678, name: 'http' }] }]));
        rawService(c, 's', { targetPort: 'http' });
      })).toEqual([]);
    });

    test('GIVEN a numeric targetPort and pods that declare no port at all THEN it is used as it is (containerPort is informational)', () => {
      expect(clean(c => { rawDeployment(c, 'd', { ports: [] }); rawService(c, 's', { targetPort: 8080 }); })).toEqual([]);
    });

    test('GIVEN a Secret volume no container mounts THEN it is not reported: the kubelet skips unused volumes', () => {
      expect(clean(c => {
        const d = rawDeployment(c, 'd');
        d.addJsonPatch(JsonPatch.add('/spec/template/spec/volumes', [{ name: 'tls', secret: { secretName: 'tls-cert' } }]));
      })).toEqual([]);
    });

    test('GIVEN optional references and an image pull secret that are missing THEN the pod starts, so nothing is reported', () => {
      expect(clean(c => {
        const d = rawDeployment(c, 'd', {
          env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'maybe', key: 'token', optional: true } } }],
          volumes: [{ name: 'cfg', configMap: { name: 'maybe-cfg', optional: true, items: [{ key: 'k', path: 'k' }] } }],
        });
        d.addJsonPatch(JsonPatch.add('/spec/template/spec/imagePullSecrets', [{ name: 'regcred' }]));
      })).toEqual([]);
    });

    test('GIVEN one Service serving port 53 on TCP and UDP through one node port THEN it is accepted, as the API server does', () => {
      expect(clean(c => {
        rawDeployment(c, 'd', { ports: [{ containerPort: 5678, name: 'dns-tcp' }, { containerPort: 5678, name: 'dns-udp', protocol: 'UDP' }] });
        dnsService(c, 'UDP');
      })).toEqual([]);
    });

    test('GIVEN a cluster with another node port range THEN its ports are the ones accepted', () => {
      const app = new App();
      const c = new Chart(app, 'c', { namespace: 'shop' });
      rawDeployment(c, 'd');
      rawService(c, 's', { nodePort: 20080 });
      expect(messagesOf(checkWiring(app, undefined, undefined, { nodePortRange: NodePortRange.of(20000, 20100) }))).toEqual([]);
      expect(messagesOf(checkWiring(app))).toEqual([
        '[c/s] CVA204 Service shop/backend-svc: node port 20080 is outside the node port range 30000-32767. Fix: choose a node port from 30000 to 32767, or omit it to let Kubernetes pick one',
      ]);
    });
  });

  test('GIVEN correct wiring (raw and constructs, external Secret declared) THEN there is nothing to report', () => {
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    rawDeployment(c, 'd', { env: secretEnv('vault', 'password') });
    ExternalObjects.secret(c, 'vault');
    rawService(c, 's');
    rawService(c, 's2', { name: 'backend-named', targetPort: 'http' });
    new VotingApp(c, 'app', { credentials: Credentials.fromSecretName('db'), voteExposure: Exposure.nodePort(8080, 30100) });
    new Microservice(c, 'm', { image: 'nginx:1.27', ports: [ContainerPort.tcp('http', 80)] });
    expect(messagesOf(checkWiring(app))).toEqual([]);
  });

  test('GIVEN several mistakes THEN the synth command reports every one, exits non-zero and writes nothing', () => {
    const outdir = tmpOut();
    const { out, exitCode } = runSynthCapturing(() => {
      const app = new App();
      const c = new Chart(app, 'c', { namespace: 'shop' });
      rawService(c, 's');
      rawDeployment(c, 'd', { name: 'other', labels: { app: 'other' }, env: secretEnv('missing', 'k') });
      return app;
    }, outdir);
    expect(exitCode).toBe(1);
    expect(out).toMatch(/^synth failed with 2 problems; nothing was written:/);
    expect(out).toContain('Service shop/backend-svc: selector app=backend matches no pod template');
    expect(out).toContain('refers to Secret missing');
    expect(fs.readdirSync(outdir)).toEqual(['previous.k8s.yaml']);
  });

  test('GIVEN props mistakes in two constructs and a wiring mistake THEN one synth reports all of them and writes nothing', () => {
    const outdir = tmpOut();
    const { out, exitCode } = runSynthCapturing(() => {
      const app = new App();
      const c = new Chart(app, 'c', { namespace: 'shop' });
      new Microservice(c, 'api', { image: 'example/api', replicas: -2 });
      new Microservice(c, 'web', { image: 'nginx:1.27', ports: [ContainerPort.tcp('http', 80)], service: { ports: [{ port: 80, target: ContainerPort.tcp('admin', 81) }] } });
      rawService(c, 's', { selector: { app: 'nobody' } });
      return app;
    }, outdir);
    expect(exitCode).toBe(1);
    expect(out.split('\n').filter(l => l.startsWith('  - '))).toEqual([
      '  - [c/api] CVA104 image "example/api" has no tag or digest, so every pull may bring a different version. Fix: pin it, e.g. "example/api:1.0" or "example/api@sha256:..."',
      '  - [c/api] CVA102 replicas must be an integer of at least 0, got -2. Fix: set replicas to an integer of at least 0',
      '  - [c/web] CVA202 service port 80 targets container port admin (81), which this container does not declare. Fix: add it to ports, or target one of: http (80)',
      // Not again from the App-wide check on the Service it produced: each mistake is reported once.
      '  - [c/s] CVA201 Service shop/backend-svc: selector app=nobody matches no pod template in namespace shop, so the Service routes nowhere. Fix: make the selector match the pod labels of one of: Deployment api (app.kubernetes.io/instance=api,app.kubernetes.io/managed-by=cdk8s,app.kubernetes.io/name=api,app.kubernetes.io/part-of=api); Deployment web (app.kubernetes.io/instance=web,app.kubernetes.io/managed-by=cdk8s,app.kubernetes.io/name=web,app.kubernetes.io/part-of=web)',
    ]);
    expect(fs.readdirSync(outdir)).toEqual(['previous.k8s.yaml']);
  });

});

describe('validateApp: each mistake once, and every mistake', () => {
  test('GIVEN a construct with a props mistake and an unrelated wiring mistake in the objects it made THEN both are reported', () => {
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    new Microservice(c, 'web', { image: 'nginx', env: { PASSWORD: EnvValue.fromSecretValue({ secret: Secret.fromSecretName(c, 'vault', 'vault'), key: 'password' }) } });
    expect(messagesOf(validateApp(app)).map(p => p.replace(/\. Fix: .*/, ''))).toEqual([
      '[c/web] CVA104 image "nginx" has no tag or digest, so every pull may bring a different version',
      '[c/web/Deployment] CVA203 Deployment shop/web: env PASSWORD of container web refers to Secret vault, which the App does not define in namespace shop',
    ]);
  });

  test('GIVEN a construct\'s bad node port THEN the Service it made is not reported again for it', () => {
    const app = new App();
    const http = ContainerPort.tcp('http', 80);
    new Microservice(new Chart(app, 'c', { namespace: 'shop' }), 'web', { image: 'nginx:1.27', ports: [http], service: { type: ServiceType.NODE_PORT, ports: [{ port: 80, target: http, nodePort: 8080 }] } });
    expect(messagesOf(validateApp(app)).map(p => p.replace(/ .*/, ''))).toEqual(['[c/web]']);
  });
});

describe('checkWiring: declared connections against the NetworkPolicies in force', () => {
  const labelsOf = (name: string) => ({ app: name });
  const HTTP = { name: 'http', number: 5678, protocol: 'TCP' };
  const ADMIN = { name: 'admin', number: 9000, protocol: 'TCP' };

  /** A connection between two raw Deployments of the App, each imported by its attributes as a user would. */
  function connect(scope: Construct, id: string, from: k8s.KubeDeployment, to: k8s.KubeDeployment, ports = [HTTP], namespaces: { from?: string; to?: string } = {}) {
    const ends = new Construct(scope, `${id}-ends`);
    const containerPorts = (list: typeof ports) => list.map(p => (p.protocol === 'UDP' ? ContainerPort.udp(p.name, p.number) : ContainerPort.tcp(p.name, p.number)));
    const end = (d: k8s.KubeDeployment, which: string, namespace: string | undefined, own: typeof ports) =>
      Workload.fromAttributes(ends, which, { name: d.name, namespace, podSelector: labelsOf(d.name), ports: containerPorts(own) });
    new Connection(scope, id, { client: end(from, 'from', namespaces.from, []), server: end(to, 'to', namespaces.to, ports), ports: containerPorts(ports) });
  }

  function policy(scope: Construct, id: string, target: string, ingress: k8s.NetworkPolicyIngressRule[] | undefined, namespace?: string) {
    return new k8s.KubeNetworkPolicy(scope, id, { metadata: { name: `${target}-ingress`, namespace }, spec: { podSelector: { matchLabels: labelsOf(target) }, policyTypes: ['Ingress'], ingress } });
  }

  const fromPods = (name: string, namespace?: string): k8s.NetworkPolicyPeer => ({
    podSelector: { matchLabels: labelsOf(name) },
    ...(namespace ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } } : {}),
  });

  function shop() {
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    const web = rawDeployment(c, 'web', { name: 'web', labels: labelsOf('web') });
    const api = rawDeployment(c, 'api', { name: 'api', labels: labelsOf('api'), ports: [{ containerPort: 5678, name: 'http' }, { containerPort: 9000, name: 'admin' }] });
    return { app, c, web, api };
  }

  test('GIVEN no policy selecting the target THEN the connection is admitted', () => {
    const { app, c, web, api } = shop();
    connect(c, 'web-api', web, api, [HTTP], { from: 'shop', to: 'shop' });
    expect(messagesOf(checkWiring(app))).toEqual([]);
  });

  test('GIVEN a policy admitting the client by a pod label its selector leaves out THEN the connection is admitted, as the client\'s pods carry it', () => {
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    const http = ContainerPort.tcp('http', 8080);
    // The raw policy below is api's only one: none is derived from the connection.
    const api = new Microservice(c, 'api', { image: 'api:1.0', ports: [http], policyFromConnections: false });
    const web = new Microservice(c, 'web', { image: 'web:1.0', partOf: 'shop' });
    web.connectTo(api);
    new k8s.KubeNetworkPolicy(c, 'p', { metadata: { name: 'api-ingress' }, spec: {
      podSelector: { matchLabels: api.podSelector }, policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'shop' } } }] }],
    } });
    expect(web.podSelector).not.toHaveProperty('app.kubernetes.io/part-of');
    expect(messagesOf(checkWiring(app))).toEqual([]);
  });

  test('GIVEN a policy isolating the target by a pod label its selector leaves out THEN the connection it blocks is reported, as the target\'s pods carry it', () => {
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    const api = new Microservice(c, 'api', { image: 'api:1.0', ports: [ContainerPort.tcp('http', 8080)], partOf: 'shop', policyFromConnections: false });
    new Microservice(c, 'web', { image: 'web:1.0' }).connectTo(api);
    new k8s.KubeNetworkPolicy(c, 'p', { metadata: { name: 'shop-deny' }, spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'shop' } }, policyTypes: ['Ingress'], ingress: [],
    } });
    expect(api.podSelector).not.toHaveProperty('app.kubernetes.io/part-of');
    expect(messagesOf(checkWiring(app)).map(p => p.replace(/, but .*/, ''))).toEqual([
      '[c/web/ConnectsTo-api] CVA205 Deployment shop/web: connects to Deployment shop/api on port http (8080/TCP)',
    ]);
  });

  test('GIVEN a target construct that renders a Job beside its Deployment THEN the connection is judged by the Deployment\'s pods, the end it names', () => {
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    rawDeployment(c, 'web', { name: 'web', labels: labelsOf('web') });
    const apiConstruct = new Construct(c, 'api');
    new k8s.KubeJob(apiConstruct, 'migrate', { metadata: { name: 'api-migrate' }, spec: { template: {
      metadata: { labels: { app: 'api', job: 'migrate' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'api:1.0' }] },
    } } });
    rawDeployment(apiConstruct, 'deployment', { name: 'api', labels: { app: 'api', tier: 'backend' } });
    new Connection(c, 'web-api', {
      client: Workload.fromAttributes(c, 'web-import', { name: 'web', namespace: 'shop', podSelector: labelsOf('web') }),
      server: Workload.fromAttributes(c, 'api-import', { name: 'api', namespace: 'shop', podSelector: labelsOf('api'), ports: [ContainerPort.tcp(HTTP.name, HTTP.number)] }),
    });
    new k8s.KubeNetworkPolicy(c, 'p', { metadata: { name: 'backend-ingress' }, spec: {
      podSelector: { matchLabels: { tier: 'backend' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'ops' } } }] }],
    } });
    expect(messagesOf(checkWiring(app)).map(p => p.replace(/, but .*/, ''))).toEqual([
      '[c/web-api] CVA205 Deployment shop/web: connects to Deployment shop/api on port http (5678/TCP)',
    ]);
  });

  describe('the client\'s egress policies', () => {
    const DNS: k8s.NetworkPolicyEgressRule = {
      to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }, { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' }],
    };
    const toApi = (port: k8s.IntOrString): k8s.NetworkPolicyEgressRule => ({ to: [{ podSelector: { matchLabels: labelsOf('api') } }], ports: [{ port }] });
    const egress = (rules: k8s.NetworkPolicyEgressRule[]) => {
      const { app, c, web, api } = shop();
      connect(c, 'web-api', web, api, [HTTP], { from: 'shop', to: 'shop' });
      new k8s.KubeNetworkPolicy(c, 'e', { metadata: { name: 'web-egress' }, spec: { podSelector: { matchLabels: labelsOf('web') }, policyTypes: ['Egress'], egress: rules } });
      return messagesOf(checkWiring(app));
    };

    test('GIVEN one that leaves out the target THEN the connection is reported, with the rule to add', () => {
      expect(egress([DNS])).toEqual([
        '[c/web-api] CVA205 Deployment shop/web: connects to Deployment shop/api on port http (5678/TCP), but NetworkPolicy shop/web-egress selects the client\'s pods for egress and no egress rule admits api on that port. Fix: add api\'s pods (app=api) to the to of NetworkPolicy shop/web-egress on port 5678/TCP',
      ]);
      expect(egress([DNS, toApi(k8s.IntOrString.fromNumber(9000))])).toHaveLength(1);
    });

    test('GIVEN one that admits the target on the port, by name or number, or admits everything THEN nothing is reported', () => {
      expect(egress([DNS, toApi(k8s.IntOrString.fromString('http'))])).toEqual([]);
      expect(egress([DNS, toApi(k8s.IntOrString.fromNumber(5678))])).toEqual([]);
      expect(egress([{}])).toEqual([]);
    });

    test('GIVEN one that admits the target but not DNS THEN the connection is reported: the client cannot resolve the Service name', () => {
      expect(egress([toApi(k8s.IntOrString.fromNumber(5678))])).toEqual([
        '[c/web-api] CVA205 Deployment shop/web: connects to Deployment shop/api by Service name, but NetworkPolicy shop/web-egress selects the client\'s pods for egress and no egress rule admits the cluster DNS (k8s-app=kube-dns in namespace kube-system) on port 53/UDP, so no name can be resolved. '
        + 'Fix: add to NetworkPolicy shop/web-egress an egress rule to the DNS pods on ports 53/UDP and 53/TCP, with namespaceSelector and podSelector in one entry of its to (as two entries they admit either); for a cluster that runs DNS otherwise, ClusterDns.configure',
      ]);
      expect(egress([toApi(k8s.IntOrString.fromNumber(5678)), { ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }] }])).toEqual([]);
    });

    test('GIVEN a client without DNS that connects to two targets THEN it is reported once, naming both', () => {
      const { app, c, web, api } = shop();
      const db = rawDeployment(c, 'db', { name: 'db', labels: labelsOf('db'), ports: [{ containerPort: 5432, name: 'postgres' }] });
      connect(c, 'web-api', web, api, [HTTP], { from: 'shop', to: 'shop' });
      connect(c, 'web-db', web, db, [{ name: 'postgres', number: 5432, protocol: 'TCP' }], { from: 'shop', to: 'shop' });
      new k8s.KubeNetworkPolicy(c, 'e', { metadata: { name: 'web-egress' }, spec: { podSelector: { matchLabels: labelsOf('web') }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] } });
      expect(messagesOf(checkWiring(app)).map(p => p.replace(/ by Service name, .*/, ''))).toEqual([
        '[c/web-api] CVA205 Deployment shop/web: connects to Deployment shop/api and Deployment shop/db',
      ]);
    });

    test('GIVEN one that admits DNS by the DNS pods\' port name THEN nothing is reported', () => {
      const dnsByName: k8s.NetworkPolicyEgressRule = { ...DNS, ports: [{ port: k8s.IntOrString.fromString('dns'), protocol: 'UDP' }] };
      expect(egress([dnsByName, toApi(k8s.IntOrString.fromNumber(5678))])).toEqual([]);
    });

    test('GIVEN one that admits the target or DNS by an ipBlock that may hold cluster addresses THEN nothing is reported: manifests hold no pod addresses', () => {
      expect(egress([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }])).toEqual([]);
      expect(egress([{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }])).toEqual([]);
    });

    test('GIVEN one that admits only addresses outside the private ranges THEN DNS and the target are reported: no pod is there', () => {
      const internet = { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] } }] };
      expect(egress([internet]).map(p => p.replace(/, but .*/, ''))).toEqual([
        '[c/web-api] CVA205 Deployment shop/web: connects to Deployment shop/api on port http (5678/TCP)',
        '[c/web-api] CVA205 Deployment shop/web: connects to Deployment shop/api by Service name',
      ]);
    });

    test('GIVEN DNS admitted by a namespace label the App cannot know (kube-system is not defined in it) THEN nothing is reported', () => {
      const byNameLabel: k8s.NetworkPolicyEgressRule = { ...DNS, to: [{ namespaceSelector: { matchLabels: { name: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }] };
      expect(egress([byNameLabel, toApi(k8s.IntOrString.fromNumber(5678))])).toEqual([]);
    });

    test('GIVEN a cluster whose DNS runs otherwise, set with ClusterDns.configure THEN its pods and ports are the ones checked', () => {
      const openShift = ClusterDns.of({ namespace: 'openshift-dns', podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' }, ports: [ContainerPort.udp('dns', 5353), ContainerPort.tcp('dns-tcp', 5353)] });
      const toDns = (port: number): k8s.NetworkPolicyEgressRule => ({
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } }, podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } } }],
        ports: [{ port: k8s.IntOrString.fromNumber(port), protocol: 'UDP' }],
      });
      const withDns = (rule: k8s.NetworkPolicyEgressRule) => {
        const app = new App();
        ClusterDns.configure(app, openShift);
        const c = new Chart(app, 'c', { namespace: 'shop' });
        const web = rawDeployment(c, 'web', { name: 'web', labels: labelsOf('web') });
        const api = rawDeployment(c, 'api', { name: 'api', labels: labelsOf('api'), ports: [{ containerPort: 5678, name: 'http' }] });
        connect(c, 'web-api', web, api, [HTTP], { from: 'shop', to: 'shop' });
        new k8s.KubeNetworkPolicy(c, 'e', { metadata: { name: 'web-egress' }, spec: { podSelector: { matchLabels: labelsOf('web') }, policyTypes: ['Egress'], egress: [rule, toApi(k8s.IntOrString.fromNumber(5678))] } });
        return { app, problems: messagesOf(validateApp(app)) };
      };
      expect(withDns(toDns(5353)).problems).toEqual([]);
      expect(withDns(toDns(53)).problems).toEqual([expect.stringContaining('no egress rule admits the cluster DNS (dns.operator.openshift.io/daemonset-dns=default in namespace openshift-dns) on port 5353/UDP')]);
      expect(ClusterDns.forScope(withDns(toDns(5353)).app).toString()).toBe(openShift.toString());
    });
  });

  test('GIVEN a port that both the target\'s ingress and the client\'s egress policies refuse THEN both are reported at once', () => {
    const { app, c, web, api } = shop();
    connect(c, 'web-api', web, api, [HTTP], { from: 'shop', to: 'shop' });
    policy(c, 'p', 'api', []);
    new k8s.KubeNetworkPolicy(c, 'e', { metadata: { name: 'web-egress' }, spec: { podSelector: { matchLabels: labelsOf('web') }, policyTypes: ['Egress'], egress: [
      { to: [{ podSelector: { matchLabels: labelsOf('db') } }] },
      { ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }] },
    ] } });
    expect(messagesOf(checkWiring(app)).map(p => p.replace(/ and no .*/, ''))).toEqual([
      '[c/web-api] CVA205 Deployment shop/web: connects to Deployment shop/api on port http (5678/TCP), but NetworkPolicy shop/api-ingress selects the target\'s pods',
      '[c/web-api] CVA205 Deployment shop/web: connects to Deployment shop/api on port http (5678/TCP), but NetworkPolicy shop/web-egress selects the client\'s pods for egress',
    ]);
  });

  test('GIVEN an ingress policy that admits the client only by an ipBlock THEN nothing is reported; one whose ipBlock rule leaves out the port THEN it is', () => {
    const ipBlock = (port: number) => {
      const { app, c, web, api } = shop();
      policy(c, 'p', 'api', [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: k8s.IntOrString.fromNumber(port) }] }]);
      connect(c, 'web-api', web, api, [HTTP], { from: 'shop', to: 'shop' });
      return messagesOf(checkWiring(app));
    };
    expect(ipBlock(5678)).toEqual([]);
    expect(ipBlock(9000)).toHaveLength(1);
  });

  test('GIVEN a policy whose rule admits the client on the port THEN nothing is reported', () => {
    const { app, c, web, api } = shop();
    policy(c, 'p', 'api', [{ from: [fromPods('web')], ports: [{ port: k8s.IntOrString.fromNumber(5678) }] }]);
    connect(c, 'web-api', web, api, [HTTP], { from: 'shop', to: 'shop' });
    expect(messagesOf(checkWiring(app))).toEqual([]);
  });

  test('GIVEN a policy that admits another client THEN the connection is reported, naming client, target, port and policy, with the fix', () => {
    const { app, c, web, api } = shop();
    policy(c, 'p', 'api', [{ from: [fromPods('ops')] }]);
    connect(c, 'web-api', web, api, [HTTP], { from: 'shop', to: 'shop' });
    expect(messagesOf(checkWiring(app))).toEqual([
      '[c/web-api] CVA205 Deployment shop/web: connects to Deployment shop/api on port http (5678/TCP), but NetworkPolicy shop/api-ingress selects the target\'s pods and no ingress rule admits web on that port. '
      + 'Fix: add web\'s pods (app=web) to the from of NetworkPolicy shop/api-ingress on port 5678/TCP; where an IngressPolicy made it, leave out its clients (it then admits the connections declared to its target) and list this port in its ports',
    ]);
  });

  test('GIVEN a policy admitting the client on one of two ports THEN only the other port is reported', () => {
    const { app, c, web, api } = shop();
    policy(c, 'p', 'api', [{ from: [fromPods('web')], ports: [{ port: k8s.IntOrString.fromString('http') }] }]);
    connect(c, 'web-api', web, api, [HTTP, ADMIN], { from: 'shop', to: 'shop' });
    const problems = messagesOf(checkWiring(app));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('connects to Deployment shop/api on port admin (9000/TCP), but NetworkPolicy shop/api-ingress');
  });

  test('GIVEN a client in another namespace THEN a podSelector alone does not admit it, and a namespaceSelector for its namespace does', () => {
    const app = new App();
    const front = new Chart(app, 'front', { namespace: 'web' });
    const back = new Chart(app, 'back', { namespace: 'data' });
    const web = rawDeployment(front, 'web', { name: 'web', labels: labelsOf('web') });
    const api = rawDeployment(back, 'api', { name: 'api', labels: labelsOf('api') });
    const p = policy(back, 'p', 'api', [{ from: [fromPods('web')] }]);
    connect(front, 'web-api', web, api, [HTTP], { from: 'web', to: 'data' });
    expect(messagesOf(checkWiring(app))).toEqual([expect.stringContaining(
      '[front/web-api] CVA205 Deployment web/web: connects to Deployment data/api on port http (5678/TCP), but NetworkPolicy data/api-ingress selects the target\'s pods and no ingress rule admits web on that port. '
      + 'Fix: add web\'s pods (app=web in namespace web) to the from of NetworkPolicy data/api-ingress on port 5678')]);
    p.addJsonPatch(JsonPatch.replace('/spec/ingress/0/from/0', fromPods('web', 'web')));
    expect(messagesOf(checkWiring(app))).toEqual([]);
  });

  test('GIVEN ends without a namespace THEN they are in default, like the objects rendered without one', () => {
    const app = new App();
    const c = new Chart(app, 'c');
    const web = rawDeployment(c, 'web', { name: 'web', labels: labelsOf('web') });
    const api = rawDeployment(c, 'api', { name: 'api', labels: labelsOf('api') });
    policy(c, 'p', 'api', []);
    connect(c, 'web-api', web, api);
    expect(messagesOf(checkWiring(app))).toEqual([expect.stringContaining('[c/web-api] CVA205 Deployment default/web: connects to Deployment default/api on port http (5678/TCP), but NetworkPolicy default/api-ingress')]);
  });

  test('GIVEN two policies selecting the target, neither admitting the client THEN the message names both', () => {
    const { app, c, web, api } = shop();
    policy(c, 'p', 'api', [{ from: [fromPods('ops')] }]);
    new k8s.KubeNetworkPolicy(c, 'deny-all', { metadata: { name: 'deny-all' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    connect(c, 'web-api', web, api, [HTTP], { from: 'shop', to: 'shop' });
    expect(messagesOf(checkWiring(app))).toEqual([expect.stringContaining('but NetworkPolicies shop/api-ingress, shop/deny-all select the target\'s pods')]);
  });

  test('GIVEN a client made elsewhere (no object of it in the App) THEN it is named as a workload', () => {
    const { app, c, api } = shop();
    policy(c, 'p', 'api', []);
    new Connection(c, 'legacy-api', {
      client: Workload.fromAttributes(c, 'legacy', { name: 'legacy', namespace: 'shop', podSelector: { app: 'legacy' }, external: true }),
      server: Workload.fromAttributes(c, 'api-import', { name: api.name, namespace: 'shop', podSelector: labelsOf('api'), ports: [ContainerPort.tcp(HTTP.name, HTTP.number)] }),
    });
    expect(messagesOf(checkWiring(app))).toEqual([expect.stringContaining('[c/legacy-api] CVA205 workload shop/legacy: connects to Deployment shop/api on port http (5678/TCP)')]);
  });

  test('GIVEN a blocked connection THEN synth fails and writes nothing', () => {
    const { app, c, web, api } = shop();
    policy(c, 'p', 'api', undefined);
    connect(c, 'web-api', web, api, [HTTP], { from: 'shop', to: 'shop' });
    const outdir = tmpOut();
    expect(() => synthesize(app, { outdir })).toThrow('[c/web-api] CVA205 Deployment shop/web: connects to Deployment shop/api on port http (5678/TCP)');
    expect(fs.readdirSync(outdir)).toEqual(['previous.k8s.yaml']);
  });
});

describe('checkWiring: what the namespaces of the App ask of the objects in them', () => {
  /** An App whose chart "c" writes to namespace shop, which an AppNamespace creates with `enforce`. */
  function shopApp(enforce = PodSecurityLevel.BASELINE): { app: App; c: Chart } {
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    new AppNamespace(c, 'ns', { name: 'shop', enforce });
    return { app, c };
  }

  describe('Pod Security: the level the namespace enforces', () => {
    test('GIVEN a Deployment adding NET_ADMIN in a namespace enforcing baseline THEN it is reported: its pods are refused', () => {
      const { app, c } = shopApp();
      const d = rawDeployment(c, 'd');
      d.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext', { capabilities: { add: ['NET_ADMIN'] } }));
      expect(messagesOf(validateApp(app))).toEqual([
        '[c/d] CVA111 Deployment shop/backend: breaks the Pod Security level "baseline" that namespace shop enforces, so its pods are refused at admission and it never runs: non-default capabilities (container "main" must not include "NET_ADMIN" in securityContext.capabilities.add). '
        + 'Fix: add only capabilities of the default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT); or enforce privileged in namespace shop',
      ]);
    });

    test('GIVEN a Microservice without a user in a namespace enforcing restricted THEN it is reported, with enforcing baseline as the other way out', () => {
      const { app, c } = shopApp(PodSecurityLevel.RESTRICTED);
      new Microservice(c, 'web', { image: 'nginx:1.27', ports: [ContainerPort.tcp('http', 80)] });
      expect(messagesOf(validateApp(app))).toEqual([
        '[c/web/Deployment] CVA111 Deployment shop/web: breaks the Pod Security level "restricted" that namespace shop enforces, so its pods are refused at admission and it never runs: runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true). '
        + 'Fix: run as a non-root user: securityContext.runAsNonRoot=true with a non-root runAsUser (on a Microservice, security.user); or enforce baseline in namespace shop',
      ]);
    });

    test('GIVEN a bare Pod with hostNetwork in a raw Namespace enforcing baseline THEN the Pod itself is refused', () => {
      const app = new App();
      const c = new Chart(app, 'c');
      new k8s.KubeNamespace(c, 'ns', { metadata: { name: 'ops', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } });
      new k8s.KubePod(c, 'p', { metadata: { name: 'probe', namespace: 'ops' }, spec: { hostNetwork: true, containers: [{ name: 'probe', image: 'busybox:1.36' }] } });
      expect(messagesOf(validateApp(app))).toEqual([
        '[c/p] CVA111 Pod ops/probe: breaks the Pod Security level "baseline" that namespace ops enforces, so it is refused at admission: host namespaces (hostNetwork=true). Fix: remove hostNetwork, hostPID and hostIPC; or enforce privileged in namespace ops',
      ]);
    });

    test('GIVEN root workloads in a namespace enforcing baseline and warning restricted, or one enforcing privileged, or one the App does not define THEN nothing is reported', () => {
      const { app, c } = shopApp();
      new Microservice(c, 'web', { image: 'nginx:1.27', ports: [ContainerPort.tcp('http', 80)] });
      const other = new Chart(app, 'other');
      new k8s.KubeNamespace(other, 'ns', { metadata: { name: 'tools', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } });
      rawDeployment(other, 'd', { namespace: 'tools' }).addJsonPatch(JsonPatch.add('/spec/template/spec/hostPID', true));
      rawDeployment(other, 'd2', { namespace: 'kube-system' }).addJsonPatch(JsonPatch.add('/spec/template/spec/hostPID', true));
      expect(messagesOf(validateApp(app))).toEqual([]);
    });
  });

  describe('namespaces nothing creates', () => {
    test('GIVEN objects written to a misspelt namespace THEN it is reported once, on the first, suggesting the nearest the App creates', () => {
      const { app, c } = shopApp();
      rawDeployment(c, 'd', { namespace: 'shpo' });
      rawService(c, 's', { namespace: 'shpo' });
      expect(messagesOf(validateApp(app))).toEqual([
        '[c/d] CVA203 Deployment shpo/backend: is written to namespace shpo (with 1 other object), which the App does not create (it creates shop) and no cluster has from the start, so applying it fails: namespaces "shpo" not found. '
        + 'Fix: write it to namespace shop if that is the one meant; else create shpo in the App (an AppNamespace) or declare it created outside the App with ExternalObjects.namespace(scope, \'shpo\')',
      ]);
    });

    test('GIVEN a namespace far from every one the App creates THEN the fix offers creating or declaring it', () => {
      const { app, c } = shopApp();
      rawDeployment(c, 'd', { namespace: 'payments' });
      expect(messagesOf(validateApp(app))).toEqual([
        '[c/d] CVA203 Deployment payments/backend: is written to namespace payments, which the App does not create (it creates shop) and no cluster has from the start, so applying it fails: namespaces "payments" not found. '
        + 'Fix: create namespace payments in the App (an AppNamespace), or declare it created outside the App with ExternalObjects.namespace(scope, \'payments\')',
      ]);
    });

    test('GIVEN namespaces every cluster has, one declared external, or an App that creates no Namespace at all THEN nothing is reported', () => {
      const { app, c } = shopApp();
      rawDeployment(c, 'd', { namespace: 'default' });
      rawDeployment(c, 'd2', { namespace: 'kube-system' });
      rawDeployment(c, 'd3', { namespace: 'payments' });
      ExternalObjects.namespace(c, 'payments');
      expect(messagesOf(validateApp(app))).toEqual([]);
      const bare = new App();
      rawDeployment(new Chart(bare, 'c', { namespace: 'anywhere' }), 'd');
      expect(messagesOf(validateApp(bare))).toEqual([]);
    });
  });

  describe('PersistentVolumeClaims', () => {
    const claimVolume = (claimName: string): k8s.Volume => ({ name: 'data', persistentVolumeClaim: { claimName } });

    test('GIVEN a volume of a claim the App does not define THEN it is reported', () => {
      const { app, c } = shopApp();
      rawDeployment(c, 'd', { volumes: [claimVolume('data')] });
      expect(messagesOf(validateApp(app))).toEqual([
        '[c/d] CVA203 Deployment shop/backend: volume data refers to PersistentVolumeClaim data, which the App does not define in namespace shop. Fix: define the PersistentVolumeClaim, fix the name, or declare it provided outside the App with ExternalObjects.persistentVolumeClaim(scope, \'data\')',
      ]);
    });

    test('GIVEN a claim volume no container mounts THEN it is still a reference: the scheduler waits for every claim of the pod', () => {
      const { app, c } = shopApp();
      rawDeployment(c, 'd').addJsonPatch(JsonPatch.add('/spec/template/spec/volumes', [claimVolume('data')]));
      expect(messagesOf(validateApp(app))).toEqual([expect.stringContaining('[c/d] CVA203 Deployment shop/backend: volume data refers to PersistentVolumeClaim data')]);
    });

    test('GIVEN the claim in the App, one declared external, a StatefulSet\'s claim template or one of the claims it makes THEN nothing is reported', () => {
      const { app, c } = shopApp();
      new k8s.KubePersistentVolumeClaim(c, 'pvc', { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } } } });
      rawDeployment(c, 'd', { volumes: [claimVolume('data')] });
      rawDeployment(c, 'd2', { name: 'backup', volumes: [claimVolume('archive')] });
      ExternalObjects.persistentVolumeClaim(c, 'archive', { namespace: 'shop' });
      new k8s.KubeStatefulSet(c, 'db', { metadata: { name: 'db' }, spec: {
        serviceName: 'db', selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: {
          containers: [{ name: 'db', image: 'postgres:16', volumeMounts: [{ name: 'pgdata', mountPath: '/var/lib/postgresql/data' }] }],
          volumes: [{ name: 'pgdata', persistentVolumeClaim: { claimName: 'pgdata' } }],
        } },
        volumeClaimTemplates: [{ metadata: { name: 'pgdata' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } } } }],
      } });
      rawDeployment(c, 'd3', { name: 'inspect', labels: { app: 'inspect' }, volumes: [claimVolume('pgdata-db-0')] });
      expect(messagesOf(validateApp(app))).toEqual([]);
    });
  });

  describe('workloads imported with Workload.fromAttributes', () => {
    test('GIVEN an imported workload whose podSelector matches no pod template of its namespace THEN it is reported: what uses it acts on no pod', () => {
      const { app, c } = shopApp();
      rawDeployment(c, 'd', { name: 'legacy', labels: { app: 'legacy' } });
      Workload.fromAttributes(c, 'legacy', { name: 'legacy', podSelector: { app: 'legasy' } });
      expect(messagesOf(validateApp(app))).toEqual([
        '[c/legacy] CVA201 imported workload shop/legacy: podSelector app=legasy matches no pod template in namespace shop, so the policies and connections that use it act on no pod. '
        + 'Fix: make podSelector match the pod labels of one of: Deployment legacy (app=legacy); or, if its pods are made outside the App, import it with external: true',
      ]);
    });

    test('GIVEN one whose pods are in another namespace THEN the fix says where', () => {
      const { app, c } = shopApp();
      rawDeployment(c, 'd', { name: 'legacy', labels: { app: 'legacy' }, namespace: 'default' });
      Workload.fromAttributes(c, 'legacy', { name: 'legacy', podSelector: { app: 'legacy' } });
      expect(messagesOf(validateApp(app))).toEqual([expect.stringContaining('Fix: the matching pods are in default: set its namespace to where its pods run; or, if its pods are made outside the App, import it with external: true')]);
    });

    test('GIVEN one that matches a pod template, or one declared external THEN nothing is reported', () => {
      const { app, c } = shopApp();
      rawDeployment(c, 'd', { name: 'legacy', labels: { app: 'legacy', tier: 'web' } });
      Workload.fromAttributes(c, 'legacy', { name: 'legacy', podSelector: { app: 'legacy' } });
      Workload.fromAttributes(c, 'partner', { name: 'partner', podSelector: { app: 'partner' }, external: true });
      expect(messagesOf(validateApp(app))).toEqual([]);
    });
  });
});

describe('checkWiring: a port the NetworkPolicies let nobody reach', () => {
  test('GIVEN a NodePort front end whose IngressPolicy admits nobody THEN synth warns that its node port serves no one, and still writes', () => {
    // GIVEN a front end exposed on a node port, and a policy without clients while nothing connects to it
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    const http = ContainerPort.tcp('http', 8080);
    const web = new Microservice(c, 'web', { image: 'nginx:1.27', ports: [http], service: { type: ServiceType.NODE_PORT, ports: [{ port: 80, target: http, nodePort: 30080 }] } });
    new IngressPolicy(c, 'web-ingress', { target: web });
    // WHEN / THEN
    expect(validateApp(app)).toEqual([expect.objectContaining({ severity: ProblemSeverity.WARNING })]);
    expect(messagesOf(validateApp(app))).toEqual([
      '[c/web/Service] CVA207 (warning) Service shop/web: port 80 (node port 30080) forwards to Deployment web on 8080/TCP, but NetworkPolicy shop/web-ingress selects its pods and no ingress rule admits anyone on that port, so the port serves no one. Fix: declare the clients with connectTo(web) (an IngressPolicy without clients then admits them), or for a public front end use IngressPolicy fromAnywhere',
    ]);
  });

  test('GIVEN the same front end open to anyone, or with a client connected THEN no warning', () => {
    for (const open of [true, false]) {
      const app = new App();
      const c = new Chart(app, 'c', { namespace: 'shop' });
      const http = ContainerPort.tcp('http', 8080);
      const web = new Microservice(c, 'web', { image: 'nginx:1.27', ports: [http], service: { type: ServiceType.NODE_PORT } });
      new IngressPolicy(c, 'web-ingress', { target: web, fromAnywhere: open });
      if (!open) {
        new Microservice(c, 'client', { image: 'curl:8.0' }).connectTo(web);
      }
      expect(messagesOf(validateApp(app))).toEqual([]);
    }
  });
});

describe('objectsInOrder: the order chart.toJson() writes a chart in', () => {
  const configMap = (scope: Construct, id: string) => new k8s.KubeConfigMap(scope, id, { metadata: { name: id } });
  const names = (objects: ApiObject[]) => objects.map(o => o.name);
  const written = (chart: Chart) => chart.toJson().map((o: { metadata: { name: string } }) => o.metadata.name);

  test('GIVEN a chart without dependencies, with a chart nested in it THEN construct tree order, without the nested chart\'s objects', () => {
    // GIVEN
    const chart = new Chart(new App(), 'c');
    configMap(chart, 'a');
    const group = new Construct(chart, 'group');
    configMap(group, 'b');
    configMap(new Chart(chart, 'nested'), 'n');
    configMap(chart, 'c');
    // WHEN / THEN
    expect(names(objectsInOrder(chart))).toEqual(['a', 'b', 'c']);
    expect(names(objectsInOrder(chart))).toEqual(written(chart));
  });

  test('GIVEN objects that depend on later ones, directly or through a construct THEN the dependencies first, as cdk8s writes them', () => {
    // GIVEN
    const chart = new Chart(new App(), 'c');
    const a = configMap(chart, 'a');
    const b = configMap(chart, 'b');
    const group = new Construct(chart, 'group');
    configMap(group, 'g');
    a.addDependency(group);
    b.node.addDependency(a);
    // WHEN / THEN
    expect(names(objectsInOrder(chart))).toEqual(written(chart));
    expect(names(objectsInOrder(chart)).indexOf('g')).toBeLessThan(names(objectsInOrder(chart)).indexOf('a'));
  });
});
