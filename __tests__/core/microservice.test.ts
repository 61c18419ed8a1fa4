import { App, Chart, Duration, Size } from 'cdk8s';
import { Cpu, EnvValue, ImagePullPolicy, Secret, ServiceType } from 'cdk8s-plus-28';
import { ContainerPort, ExternalObjects, HealthCheck, IngressPolicy, Microservice, MicroserviceProps, Volume } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';
import { find, Manifest, synth } from '../support/manifests';
import { messagesOf } from '../support/problems';

/** Builds one Microservice; throws every problem synth would report, as synth would. */
function make(props: MicroserviceProps, id = 'web'): { service: Microservice; objects: () => Manifest[] } {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  const service = new Microservice(chart, id, props);
  const problems = messagesOf(validateApp(app));
  if (problems.length > 0) {
    throw new Error(problems.join('\n'));
  }
  return { service, objects: () => synth(chart) };
}

const http = ContainerPort.tcp('http', 8080);

describe('Microservice', () => {
  test.each(['DB_PASSWORD', 'API_TOKEN', 'client_secret', 'DB_PASS', 'PASSWORD', 'PGPASSWORD', 'dbPassword', 'accessToken', 'SECRET_KEY', 'AWS_SECRET_ACCESS_KEY', 'PRIVATE_KEY', 'apiKey'])('GIVEN a literal value for env %s THEN synth reports it: credentials belong in a Secret', (name) => {
    expect(() => make({ image: 'app:1.0', env: { [name]: EnvValue.fromValue('hunter2') } })).toThrow(
      `[test/web] CVA105 env ${name} is a literal value, but its name says it holds a credential. Fix: put it in a Secret and use EnvValue.fromSecretValue(...) (or Credentials) for ${name}`);
  });

  test.each(['POSTGRES_PASSWORD_FILE', 'OIDC_TOKEN_URL', 'SECRET_NAME', 'BYPASS', 'TOKENIZER', 'passwordFile', 'SSH_KEY_PATH', 'CACHE_KEY'])('GIVEN a literal value for env %s THEN it is accepted: the name says it holds a path, an address or a name, not a credential', (name) => {
    expect(() => make({ image: 'app:1.0', env: { [name]: EnvValue.fromValue('/run/secrets/db/password') } })).not.toThrow();
  });

  test('GIVEN a port made twice with the same name, number and protocol THEN it is one port to probes, Services, connections and policies', () => {
    const app = new App();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const api = new Microservice(chart, 'api', {
      image: 'api:1.0', ports: [ContainerPort.tcp('http', 8080)],
      readiness: HealthCheck.httpGet('/healthz', ContainerPort.tcp('http', 8080)),
      service: { ports: [{ port: 80, target: ContainerPort.tcp('http', 8080) }] },
    });
    new Microservice(chart, 'web', { image: 'web:1.0' }).connectTo(api, { ports: [ContainerPort.tcp('http', 8080)] });
    new IngressPolicy(chart, 'policy', { target: api, ports: [ContainerPort.tcp('http', 8080)] });
    expect(messagesOf(validateApp(app))).toEqual([]);
    expect(ContainerPort.tcp('http', 8080).isSameAs(ContainerPort.udp('http', 8080))).toBe(false);
    expect(ContainerPort.tcp('http', 8080).isSameAs(ContainerPort.tcp('http', 8080))).toBe(true);
  });

  test.each(['', 'MY VAR', '1ABC', 'A=B', '..X'])('GIVEN an env var named "%s" THEN synth reports it: the API server refuses the Deployment', (name) => {
    expect(() => make({ image: 'app:1.0', env: { [name]: EnvValue.fromValue('x') } })).toThrow(`[test/web] CVA101 env var name "${name}" is not one Kubernetes accepts`);
  });

  test.each(['my.env-name', 'MY_ENV.NAME', 'MyEnvName1', '_X', '-X'])('GIVEN an env var named "%s" THEN it is accepted, as Kubernetes 1.28 accepts it', (name) => {
    expect(() => make({ image: 'app:1.0', env: { [name]: EnvValue.fromValue('x') } })).not.toThrow();
  });

  test('GIVEN an env var added again with addEnv THEN synth reports it, instead of keeping the last value silently', () => {
    const app = new App();
    const web = new Microservice(new Chart(app, 'test', { namespace: 'shop' }), 'web', { image: 'web:1.0', env: { LOG: EnvValue.fromValue('info') } });
    web.addEnv('LOG', EnvValue.fromValue('debug'));
    expect(messagesOf(validateApp(app))).toEqual(['[test/web] CVA107 (warning) env var LOG is set twice (the second time with addEnv), and only the last value is written. Fix: set LOG once']);
  });

  test.each([
    ['MyOrg/Api:1.0', 'myorg/api:1.0'],
    ['Registry.Example.com:5000/Team/App:V1', 'Registry.Example.com:5000/team/app:V1'],
  ])('GIVEN image %s THEN synth reports its upper-case repository, which the kubelet refuses', (image, fixed) => {
    expect(() => make({ image })).toThrow(`[test/web] CVA113 image "${image}" has upper-case letters in its repository name, which the kubelet refuses (InvalidImageName). Fix: write the repository in lower case, e.g. "${fixed}"`);
  });

  test.each(['Registry.Example.com/app:V1.0-RC', 'localhost:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'])('GIVEN image %s THEN its case is accepted: upper case in a host or tag is allowed', (image) => {
    expect(() => make({ image })).not.toThrow();
  });

  test('GIVEN several credential literals and several clashing ports THEN synth reports each of them once, not only the first', () => {
    const app = new App();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const web = new Microservice(chart, 'web', {
      image: 'app:1.0',
      ports: [http, ContainerPort.tcp('http', 8081), ContainerPort.tcp('metrics', 9090), ContainerPort.tcp('metrics', 9091), ContainerPort.tcp('admin', 9091)],
      env: { DB_PASSWORD: EnvValue.fromValue('a'), API_TOKEN: EnvValue.fromValue('b') },
    });
    web.addEnv('CLIENT_SECRET', EnvValue.fromValue('c'));
    expect(messagesOf(validateApp(app)).map(p => p.replace(/\. Fix: .*/, ''))).toEqual([
      '[test/web] CVA107 container port name "http" is used twice',
      '[test/web] CVA107 container port name "metrics" is used twice',
      '[test/web] CVA107 container port number "9091/TCP" is used twice',
      '[test/web] CVA105 env DB_PASSWORD is a literal value, but its name says it holds a credential',
      '[test/web] CVA105 env API_TOKEN is a literal value, but its name says it holds a credential',
      '[test/web] CVA105 env CLIENT_SECRET is a literal value, but its name says it holds a credential',
    ]);
  });

  test('GIVEN a credential env var from a Secret, or a literal that names none THEN that rule reports nothing', () => {
    const app = new App();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const secret = Secret.fromSecretName(chart, 'db', 'db-credentials');
    new Microservice(chart, 'web', {
      image: 'app:1.0',
      env: { DB_PASSWORD: EnvValue.fromSecretValue({ secret, key: 'password' }), LOG_LEVEL: EnvValue.fromValue('info') },
    });
    expect(messagesOf(validateApp(app)).filter((p) => p.includes('holds a credential'))).toEqual([]);
  });

  test('GIVEN ports and no service options THEN a ClusterIP Service forwards each port to the same container port', () => {
    const { objects } = make({ image: 'nginx:1.27', ports: [http] });
    const svc = find(objects(), 'Service', 'web');
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' },
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
  });

  test('GIVEN a port mapping THEN targetPort is the container port, never the service port', () => {
    const { objects } = make({ image: 'nginx:1.27', ports: [http], service: { ports: [{ port: 80, target: http }] } });
    expect(find(objects(), 'Service', 'web').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);
  });

  test('the Service selects exactly the labels of its pods, which the Deployment also selects', () => {
    const { objects } = make({ image: 'nginx:1.27', ports: [http], instance: 'blue' });
    const out = objects();
    const selector = find(out, 'Service', 'web').spec.selector;
    const deployment = find(out, 'Deployment', 'web');
    expect(deployment.spec.selector.matchLabels).toEqual(selector);
    expect(deployment.spec.template.metadata.labels).toMatchObject(selector);
    expect(selector).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'blue' });
  });

  test.each([
    [ServiceType.NODE_PORT, 30080],
    [ServiceType.LOAD_BALANCER, undefined],
    [ServiceType.CLUSTER_IP, undefined],
  ])('supports Service type %s', (type, nodePort) => {
    const { objects } = make({ image: 'nginx:1.27', ports: [http], service: { type, ports: [{ port: 80, target: http, nodePort }] } });
    const svc = find(objects(), 'Service', 'web');
    expect(svc.spec.type).toBe(type);
    expect(svc.spec.ports[0].nodePort).toBe(nodePort);
  });

  test('supports a headless Service', () => {
    const { objects } = make({ image: 'nginx:1.27', ports: [http], service: { headless: true } });
    expect(find(objects(), 'Service', 'web').spec.clusterIP).toBe('None');
  });

  test('without ports there is no Service', () => {
    const { service, objects } = make({ image: 'busybox:1.36' });
    expect(service.service).toBeUndefined();
    expect(objects().map(o => o.kind)).toEqual(['Deployment']);
  });

  test('spreads pods across nodes by the stable selector when asked', () => {
    const { objects } = make({ image: 'nginx:1.27', replicas: 3, spreadAcrossNodes: true });
    expect(find(objects(), 'Deployment', 'web').spec.template.spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
    }]);
  });

  test('pulls the image on every start unless told otherwise, so moving tags stay consistent across nodes', () => {
    const policy = (props: Partial<MicroserviceProps>) => find(make({ image: 'nginx:1.27', ...props }).objects(), 'Deployment', 'web').spec.template.spec.containers[0].imagePullPolicy;
    expect(policy({})).toBe('Always');
    expect(policy({ imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT })).toBe('IfNotPresent');
  });

  test('a low unprivileged port start lets a root process bind port 80 without any capability', () => {
    const pod = find(make({ image: 'nginx:1.27', security: { unprivilegedPortStart: 80 } }).objects(), 'Deployment', 'web').spec.template.spec;
    expect(pod.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expect(pod.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  describe('what is added after construction shows in the output', () => {
    test('GIVEN an env var and a volume added after construction THEN the Deployment has them', () => {
      const app = new App();
      const chart = new Chart(app, 'test', { namespace: 'shop' });
      const web = new Microservice(chart, 'web', { image: 'app:1.0', env: { B: EnvValue.fromValue('2') } });
      // WHEN
      web.addEnv('A', EnvValue.fromValue('1'));
      web.addVolume({ path: '/cache', volume: Volume.emptyDir('cache') });
      // THEN env vars are sorted by name, and the volume is both declared and mounted
      const pod = find(synth(chart), 'Deployment', 'web').spec.template.spec;
      expect(pod.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
      expect(pod.containers[0].volumeMounts).toEqual([{ name: 'cache', mountPath: '/cache' }]);
      expect(pod.volumes).toEqual([{ name: 'cache', emptyDir: {} }]);
      expect(messagesOf(validateApp(app))).toEqual([]);
    });

    test('GIVEN a credential literal or a clashing volume added after construction THEN synth reports them', () => {
      const app = new App();
      const chart = new Chart(app, 'test', { namespace: 'shop' });
      const web = new Microservice(chart, 'web', { image: 'app:1.0', volumes: [{ path: '/tmp', volume: Volume.emptyDir('tmp') }] });
      web.addEnv('API_TOKEN', EnvValue.fromValue('hunter2'));
      web.addVolume({ path: '/tmp', volume: Volume.emptyDir('scratch') });
      expect(messagesOf(validateApp(app))).toEqual([
        '[test/web] CVA105 env API_TOKEN is a literal value, but its name says it holds a credential. Fix: put it in a Secret and use EnvValue.fromSecretValue(...) (or Credentials) for API_TOKEN',
        '[test/web] CVA107 mount path "/tmp" is used twice. Fix: give each mount path a distinct value',
      ]);
    });

    test('GIVEN a connection THEN the workload is its client, named in the construct tree', () => {
      const app = new App();
      const chart = new Chart(app, 'test', { namespace: 'shop' });
      const api = new Microservice(chart, 'api', { image: 'api:1.0', ports: [http] });
      const web = new Microservice(chart, 'web', { image: 'app:1.0' });
      const connection = web.connectTo(api);
      expect(connection.node.path).toBe('test/web/ConnectsTo-api');
      expect([connection.client, connection.server, connection.ports]).toEqual([web, api, [http]]);
      // WHEN stated twice THEN reported, and the first connection stands
      expect(web.connectTo(api)).toBe(connection);
      expect(messagesOf(validateApp(app))).toEqual(['[test/web] CVA107 already connects to api. Fix: state each connection once; to add ports, list them all in one connectTo(api, { ports })']);
    });
  });

  describe('rejects bad props with a message naming the construct and the fix', () => {
    const other = ContainerPort.tcp('metrics', 9090);
    const res = (cpu: number, mem: number, limit: number) => ({ cpu: { request: Cpu.millis(cpu) }, memory: { request: Size.mebibytes(mem), limit: Size.mebibytes(limit) } });
    const cases: Array<[string, MicroserviceProps, string]> = [
      ['negative replicas', { image: 'nginx:1.27', replicas: -1 },
        '[test/web] CVA102 replicas must be an integer of at least 0, got -1. Fix: set replicas to an integer of at least 0'],
      ['fractional replicas', { image: 'nginx:1.27', replicas: 1.5 },
        '[test/web] CVA102 replicas must be an integer from 0 to 2147483647, got 1.5. Fix: set replicas to an integer from 0 to 2147483647'],
      ['empty image', { image: '' },
        '[test/web] CVA113 image "" is empty or contains spaces, which the kubelet refuses (InvalidImageName). Fix: set image to a reference such as "redis:7-alpine"'],
      ['untagged image', { image: 'nginx' },
        '[test/web] CVA104 image "nginx" has no tag or digest, so every pull may bring a different version. Fix: pin it, e.g. "nginx:1.0" or "nginx@sha256:..."'],
      ['the moving tag latest', { image: 'nginx:latest' },
        '[test/web] CVA104 image "nginx:latest" uses the moving tag latest, so every pull may bring a different version. Fix: pin a version or digest, e.g. "nginx:1.0"; for an image published only as latest, set allowLatestTag: true'],
      ['registry port but no tag', { image: 'registry:5000/nginx' },
        '[test/web] CVA104 image "registry:5000/nginx" has no tag or digest, so every pull may bring a different version. Fix: pin it, e.g. "registry:5000/nginx:1.0" or "registry:5000/nginx@sha256:..."'],
      ['service port out of range', { image: 'nginx:1.27', ports: [http], service: { ports: [{ port: 70000, target: http }] } },
        '[test/web] CVA102 service port must be an integer from 1 to 65535, got 70000. Fix: set service port to an integer from 1 to 65535'],
      ['two service ports with one number', { image: 'nginx:1.27', ports: [http, other], service: { ports: [{ port: 80, target: http }, { port: 80, target: other }] } },
        '[test/web] CVA107 service port "80/TCP" is used twice. Fix: give each service port a distinct value'],
      ['two service ports with one target, so one port name', { image: 'nginx:1.27', ports: [http], service: { ports: [{ port: 80, target: http }, { port: 8080, target: http }] } },
        '[test/web] CVA107 two service ports target container port http, and a Service port takes its target\'s name. Fix: declare one container port per Service port (e.g. ContainerPort.tcp(\'http-alt\', ...)), or keep one of them'],
      ['targetPort the container does not declare', { image: 'nginx:1.27', ports: [http], service: { ports: [{ port: 80, target: other }] } },
        '[test/web] CVA202 service port 80 targets container port metrics (9090), which this container does not declare. Fix: add it to ports, or target one of: http (8080)'],
      ['probe on an undeclared port', { image: 'nginx:1.27', ports: [http], readiness: HealthCheck.httpGet('/healthz', other) },
        '[test/web] CVA202 a health check targets container port metrics (9090), which this container does not declare. Fix: add it to ports, or target one of: http (8080)'],
      ['node port on a ClusterIP Service', { image: 'nginx:1.27', ports: [http], service: { ports: [{ port: 80, target: http, nodePort: 30001 }] } },
        '[test/web] CVA108 node port 30001 is set on a ClusterIP Service. Fix: use ServiceType.NODE_PORT (or LOAD_BALANCER), or drop nodePort'],
      ['node port outside 30000-32767', { image: 'nginx:1.27', ports: [http], service: { type: ServiceType.NODE_PORT, ports: [{ port: 80, target: http, nodePort: 8080 }] } },
        '[test/web] CVA204 node port must be an integer from 30000 to 32767, got 8080. Fix: set node port to an integer from 30000 to 32767'],
      ['ExternalName type', { image: 'nginx:1.27', ports: [http], service: { type: ServiceType.EXTERNAL_NAME } },
        '[test/web] CVA103 an ExternalName Service has no pods behind it. Fix: use ExternalNameService for an outside host, or ClusterIP/NodePort/LoadBalancer here'],
      ['Service without ports', { image: 'nginx:1.27', service: {} },
        '[test/web] CVA109 has a Service but no ports to expose. Fix: declare the container ports with ContainerPort.tcp(name, port), or set service: false'],
      ['headless NodePort', { image: 'nginx:1.27', ports: [http], service: { type: ServiceType.NODE_PORT, headless: true } },
        '[test/web] CVA108 a headless Service must be ClusterIP, not NodePort. Fix: drop headless or use ServiceType.CLUSTER_IP'],
      ['memory request above limit', { image: 'nginx:1.27', resources: res(100, 512, 256) },
        '[test/web] CVA106 memory request 512Mi is above the limit 256Mi. Fix: raise the limit or lower the request'],
      ['memory request that is not a whole number of MiB', { image: 'nginx:1.27', resources: { cpu: { request: Cpu.millis(100) }, memory: { request: Size.kibibytes(1500), limit: Size.mebibytes(64) } } },
        '[test/web] CVA106 memory request must be a positive whole number of MiB, got 1500Ki. Fix: use Size.mebibytes(n) with n >= 1'],
      ['no memory limit', { image: 'nginx:1.27', resources: { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(64) } } },
        '[test/web] CVA106 resources need a CPU request, a memory request and a memory limit, so the scheduler can place the pod and a leak cannot starve the node. Fix: set resources: { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } }'],
      ['CPU request above limit', { image: 'nginx:1.27', resources: { cpu: { request: Cpu.millis(500), limit: Cpu.millis(200) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(64) } } },
        '[test/web] CVA106 CPU request 500m is above the limit 200m. Fix: raise the limit or lower the request'],
      ['two ports with one name', { image: 'nginx:1.27', ports: [http, ContainerPort.tcp('http', 8081)] },
        '[test/web] CVA107 container port name "http" is used twice. Fix: give each container port name a distinct value'],
      ['relative mount path', { image: 'nginx:1.27', volumes: [{ path: 'cache', volume: Volume.emptyDir('cache') }] },
        '[test/web] CVA103 (warning) mount path "cache" is not absolute; the runtime mounts it at "/cache". Fix: write "/cache"'],
      ['explicit Service name that is not a DNS-1035 label', { image: 'nginx:1.27', ports: [http], service: { name: 'Web.svc' } },
        '[test/web] CVA101 Service name "Web.svc" is not a valid DNS-1035 label (at most 63 characters of lower-case letters, digits and "-", starting with a letter and ending with a letter or digit). Fix: choose a name such as "web-svc"'],
      ['name that is not a DNS-1035 label, reported once though the Service takes it too', { name: '9lives', image: 'nginx:1.27', ports: [http] },
        '[test/web] CVA101 name "9lives" is not a valid DNS-1035 label (at most 63 characters of lower-case letters, digits and "-", starting with a letter and ending with a letter or digit). Fix: choose a name such as "lives"'],
      ['upper-case name', { name: 'Web_App', image: 'nginx:1.27' },
        '[test/web] CVA101 name "Web_App" is not a valid DNS-1123 label (at most 63 characters of lower-case letters, digits and "-", starting and ending with a letter or digit). Fix: choose a name such as "web-app"'],
      ['a name that starts with a digit, on a workload whose Service takes it (a DNS-1035 label)', { name: '1web', image: 'nginx:1.27', ports: [http] },
        '[test/web] CVA101 name "1web" is not a valid DNS-1035 label (at most 63 characters of lower-case letters, digits and "-", starting with a letter and ending with a letter or digit). Fix: choose a name such as "web"'],
    ];

    test.each(cases)('%s', (_title, props, message) => {
      // Exactly this problem, once: a mistake reported twice is a defect too.
      const app = new App();
      new Microservice(new Chart(app, 'test', { namespace: 'shop' }), 'web', props);
      expect(messagesOf(validateApp(app))).toEqual([message]);
    });
  });
});

describe('Microservice: what a real cluster refuses or cannot run is reported at synth, and nothing valid is refused', () => {
  const dns = ContainerPort.udp('dns', 53);
  const withPorts = { image: 'coredns:1.11', ports: [ContainerPort.tcp('metrics', 9153), dns] };
  const putInSecret = 'put the password in a Secret, add it as an env var with EnvValue.fromSecretValue(...), e.g. DB_PASSWORD, and write $(DB_PASSWORD) in its place in';
  const inArgs = 'put it in a Secret, add it as an env var with EnvValue.fromSecretValue(...), e.g. DB_PASSWORD, and write $(DB_PASSWORD) in its place (the kubelet expands env var references in command and args)';
  const portStart = (v: number) => `[test/web] CVA113 security.unprivilegedPortStart must be an integer from 0 to 32768, got ${v}: the kernel refuses net.ipv4.ip_unprivileged_port_start above the start of ip_local_port_range (32768), and the pod does not start. Fix: set it to the lowest port the process binds, e.g. 80`;
  const cases: Array<[string, MicroserviceProps, string]> = [
    ['GIVEN a negative user THEN the API server refuses it (CVA110)', { image: 'app:1.0', security: { user: -1 } },
      '[test/web] CVA110 security.user must be an integer of at least 0, got -1. Fix: set security.user to an integer of at least 0'],
    ['GIVEN a group above 2147483647 THEN the API server refuses it (CVA110)', { image: 'app:1.0', security: { group: 2147483648 } },
      '[test/web] CVA110 security.group must be an integer from 0 to 2147483647, got 2147483648. Fix: set security.group to an integer from 0 to 2147483647'],
    ['GIVEN a fractional fsGroup THEN the API server refuses it (CVA110)', { image: 'app:1.0', security: { group: 1000, fsGroup: 1000.5 } },
      '[test/web] CVA110 security.fsGroup must be an integer from 0 to 2147483647, got 1000.5. Fix: set security.fsGroup to an integer from 0 to 2147483647'],
    ['GIVEN a capability that does not exist THEN the runtime ignores it (CVA113), and the nearest name is suggested', { image: 'app:1.0', security: { capabilities: ['NET_BIND'] } },
      '[test/web] CVA113 capability "NET_BIND" is not a Linux capability, so the runtime ignores it and the process runs without it. Fix: use a Linux capability name, e.g. "NET_BIND_SERVICE"'],
    ['GIVEN a capability with a typo THEN the nearest name is suggested', { image: 'app:1.0', security: { capabilities: ['SYS_ADMN'] } },
      '[test/web] CVA113 capability "SYS_ADMN" is not a Linux capability, so the runtime ignores it and the process runs without it. Fix: use a Linux capability name, e.g. "SYS_ADMIN"'],
    ['GIVEN a capability written CAP_X THEN containerd ignores it (CVA113): it adds CAP_ itself', { image: 'app:1.0', security: { capabilities: ['CAP_NET_ADMIN'] } },
      '[test/web] CVA113 capability "CAP_NET_ADMIN" is ignored by containerd, which adds CAP_ itself (CAP_CAP_NET_ADMIN is no capability). Fix: write "NET_ADMIN"'],
    ['GIVEN the capability ALL THEN the container gets none (CVA113): the runtime adds ALL before it drops ALL', { image: 'app:1.0', security: { capabilities: ['ALL'] } },
      '[test/web] CVA113 capability "ALL" gives the container none: the runtime adds ALL before it applies the drop: [ALL] every container has. Fix: name each capability the process needs, e.g. "NET_BIND_SERVICE"'],
    ['GIVEN a capability in lower case THEN a warning (CVA111): the runtime accepts it, Pod Security admission does not', { image: 'app:1.0', security: { capabilities: ['net_bind_service'] } },
      '[test/web] CVA111 (warning) capability "net_bind_service" is in lower case: the runtime accepts it, but Pod Security admission compares names exactly and refuses it at the baseline and restricted levels. Fix: write "NET_BIND_SERVICE"'],
    ['GIVEN an unprivileged port start above the local port range THEN the kernel refuses the sysctl (CVA113)', { image: 'app:1.0', security: { unprivilegedPortStart: 40000 } }, portStart(40000)],
    ['GIVEN an unprivileged port start above 65535 THEN the kernel refuses the sysctl (CVA113)', { image: 'app:1.0', security: { unprivilegedPortStart: 70000 } }, portStart(70000)],
    ['GIVEN a negative unprivileged port start THEN the kernel refuses the sysctl (CVA113)', { image: 'app:1.0', security: { unprivilegedPortStart: -1 } }, portStart(-1)],
    ['GIVEN a fractional unprivileged port start THEN the kernel refuses the sysctl (CVA113)', { image: 'app:1.0', security: { unprivilegedPortStart: 80.5 } }, portStart(80.5)],
    ['GIVEN a TCP check on a UDP port THEN it can never pass (CVA112)', { ...withPorts, liveness: HealthCheck.tcpSocket(dns) },
      '[test/web] CVA112 the liveness check opens a TCP connection to container port dns (53), which is UDP, so it can never pass. Fix: probe a TCP port of the container, or check the UDP service with HealthCheck.command([...])'],
    ['GIVEN an HTTP check on a UDP port THEN it can never pass (CVA112)', { ...withPorts, readiness: HealthCheck.httpGet('/health', dns) },
      '[test/web] CVA112 the readiness check makes an HTTP request to container port dns (53), which is UDP, so it can never pass. Fix: probe a TCP port of the container, or check the UDP service with HealthCheck.command([...])'],
    ['GIVEN a password inside a URL, whatever the env var\'s name THEN it is a credential in a literal (CVA105)', { image: 'app:1.0', env: { DATABASE_URL: EnvValue.fromValue('postgres://app:hunter2@db:5432/app') } },
      `[test/web] CVA105 env DATABASE_URL holds a literal password in a URL. Fix: ${putInSecret} DATABASE_URL`],
    ['GIVEN a password in a connection string THEN it is a credential in a literal (CVA105)', { image: 'app:1.0', env: { ConnectionStrings__Db: EnvValue.fromValue('Server=db;Username=app;Password=hunter2;') } },
      `[test/web] CVA105 env ConnectionStrings__Db holds a literal password in a connection string. Fix: ${putInSecret} ConnectionStrings__Db`],
    ['GIVEN a password in a key-value DSN THEN it is a credential in a literal (CVA105)', { image: 'app:1.0', env: { PG_DSN: EnvValue.fromValue('host=db user=app password=hunter2 dbname=app') } },
      `[test/web] CVA105 env PG_DSN holds a literal password in a connection string. Fix: ${putInSecret} PG_DSN`],
    ['GIVEN a literal --password= in args THEN it is a credential in a literal (CVA105)', { image: 'app:1.0', args: ['serve', '--password=hunter2'] },
      `[test/web] CVA105 args[1] passes a literal value to --password. Fix: ${inArgs}`],
    ['GIVEN a password inside a URL in command THEN it is a credential in a literal (CVA105)', { image: 'app:1.0', command: ['migrate', '-database', 'postgres://app:hunter2@db/app'] },
      `[test/web] CVA105 command[2] holds a literal password in a URL. Fix: ${inArgs}`],
  ];

  test.each(cases)('%s', (_title, props, message) => {
    // Exactly this problem, once.
    const app = new App();
    new Microservice(new Chart(app, 'test', { namespace: 'shop' }), 'web', props);
    expect(messagesOf(validateApp(app))).toEqual([message]);
  });

  const valid: Array<[string, MicroserviceProps]> = [
    ['user 1000, group 1000, fsGroup 2000', { image: 'app:1.0', security: { user: 1000, group: 1000, fsGroup: 2000 } }],
    ['user and group 0 and 2147483647', { image: 'app:1.0', security: { user: 2147483647, group: 0 } }],
    ['root asked for by number', { image: 'app:1.0', security: { user: 0 } }],
    ['the capabilities NET_BIND_SERVICE and CHOWN', { image: 'app:1.0', security: { capabilities: ['NET_BIND_SERVICE', 'CHOWN'] } }],
    ['the newest capabilities BPF, PERFMON and CHECKPOINT_RESTORE', { image: 'app:1.0', security: { capabilities: ['BPF', 'PERFMON', 'CHECKPOINT_RESTORE'] } }],
    ['an unprivileged port start of 32768 (the start of ip_local_port_range, which the kernel still accepts)', { image: 'app:1.0', security: { unprivilegedPortStart: 32768 } }],
    ['an unprivileged port start of 0', { image: 'app:1.0', security: { unprivilegedPortStart: 0 } }],
    ['a TCP check on a TCP port, and a command check on a UDP service', { ...withPorts, readiness: HealthCheck.tcpSocket(withPorts.ports[0]), liveness: HealthCheck.command(['dig', '@127.0.0.1', 'health.check']) }],
    ['an https URL with a user and no password', { image: 'app:1.0', env: { UPSTREAM: EnvValue.fromValue('https://deploy@git.example.com/repo.git'), PROXY: EnvValue.fromValue('http://proxy:3128') } }],
    ['a URL whose password is a $(VAR) reference', { image: 'app:1.0', env: { DATABASE_URL: EnvValue.fromValue('postgres://app:$(DB_PASSWORD)@db:5432/app') } }],
    ['a URL with an empty password, a DSN without one and a password_file key', { image: 'app:1.0', env: { A: EnvValue.fromValue('redis://:@cache:6379'), B: EnvValue.fromValue('host=db user=app password_file=/run/secrets/pw') } }],
    ['a connection string whose password is a $(VAR) reference', { image: 'app:1.0', env: { PG_DSN: EnvValue.fromValue('host=db user=app password=$(DB_PASSWORD)') } }],
    ['args with --password=$(VAR), --password-file= and a URL without a password', { image: 'app:1.0', args: ['--password=$(DB_PASSWORD)', '--password-file=/run/secrets/pw', '--db=postgres://app@db/app'] }],
  ];

  test.each(valid)('GIVEN %s THEN synth reports nothing', (_title, props) => {
    const app = new App();
    new Microservice(new Chart(app, 'test', { namespace: 'shop' }), 'web', props);
    expect(messagesOf(validateApp(app))).toEqual([]);
  });

  test('GIVEN a URL that refers to $(DB_PASSWORD) WHEN synthesized THEN DB_PASSWORD is written first, so the kubelet expands the reference', () => {
    const app = new App();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const secret = Secret.fromSecretName(chart, 'db', 'db-credentials');
    ExternalObjects.secret(chart, 'db-credentials', { namespace: 'shop', keys: ['password'] });
    new Microservice(chart, 'web', {
      image: 'app:1.0',
      env: {
        DATABASE_URL: EnvValue.fromValue('postgres://app:$(DB_PASSWORD)@db:5432/app'),
        DB_PASSWORD: EnvValue.fromSecretValue({ secret, key: 'password' }),
        A_LOG: EnvValue.fromValue('info'),
      },
    });
    expect(messagesOf(validateApp(app))).toEqual([]);
    const env = find(synth(chart), 'Deployment', 'web').spec.template.spec.containers[0].env;
    expect(env.map((e: { name: string }) => e.name)).toEqual(['A_LOG', 'DB_PASSWORD', 'DATABASE_URL']);
  });

  test('GIVEN user 0 WHEN synthesized THEN runAsUser 0 is written without runAsNonRoot, which the kubelet would refuse with uid 0', () => {
    const pod = find(make({ image: 'app:1.0', security: { user: 0 } }).objects(), 'Deployment', 'web').spec.template.spec;
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' }, runAsUser: 0 });
  });

  test('GIVEN user 1000 WHEN synthesized THEN runAsNonRoot is written with it', () => {
    const pod = find(make({ image: 'app:1.0', security: { user: 1000 } }).objects(), 'Deployment', 'web').spec.template.spec;
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true, runAsUser: 1000 });
  });
});

describe('ContainerPort, HealthCheck and Volume: a bad value is reported by the workload that uses it, nothing thrown', () => {
  test.each([
    ['a port number out of range', () => ({ ports: [ContainerPort.tcp('http', 0)] }),
      '[c/web] CVA102 port http must be an integer from 1 to 65535, got 0. Fix: set port http to an integer from 1 to 65535'],
    ['a port name too long', () => ({ ports: [ContainerPort.tcp('a-very-long-port-name', 80)] }),
      '[c/web] CVA101 port name "a-very-long-port-name" is not a valid IANA service name (1-15 lower-case letters, digits and single "-", with a letter). Fix: use a short name such as "a-very-long-por"'],
    ['a port name without a letter', () => ({ ports: [ContainerPort.tcp('8080', 8080)] }),
      '[c/web] CVA101 port name "8080" is not a valid IANA service name (1-15 lower-case letters, digits and single "-", with a letter). Fix: use a short name such as "http"'],
    ['an HTTP path without its /', () => ({ ports: [http], readiness: HealthCheck.httpGet('healthz', http) }),
      '[c/web] CVA103 health check HTTP path "healthz" must start with "/". Fix: use "/healthz"'],
    ['an empty command', () => ({ readiness: HealthCheck.command([]) }),
      '[c/web] CVA103 a command health check needs a command. Fix: pass the command and its arguments, e.g. ["redis-cli", "ping"]'],
    ['a failure threshold of 0', () => ({ ports: [http], liveness: HealthCheck.tcpSocket(http, { failureThreshold: 0 }) }),
      '[c/web] CVA102 health check failureThreshold must be a positive integer, got 0. Fix: set failureThreshold to 1 or more'],
    ['a timeout below a second', () => ({ ports: [http], readiness: HealthCheck.tcpSocket(http, { timeout: Duration.millis(500) }) }),
      '[c/web] CVA102 health check timeout must be a whole number of seconds, at least 1, got 500 millis. Fix: set timeout to e.g. Duration.seconds(1)'],
    ['a period of 0', () => ({ ports: [http], startup: HealthCheck.httpGet('/', http, { period: Duration.seconds(0) }) }),
      '[c/web] CVA102 health check period must be a whole number of seconds, at least 1, got 0 seconds. Fix: set period to e.g. Duration.seconds(1)'],
    ['a size limit that is no whole number of MiB', () => ({ volumes: [{ path: '/cache', volume: Volume.emptyDir('cache', { sizeLimit: Size.kibibytes(100) }) }] }),
      '[c/web] CVA102 sizeLimit of volume cache must be a positive whole number of MiB, got 100Ki. Fix: use e.g. Size.mebibytes(64)'],
  ] as Array<[string, () => Partial<MicroserviceProps>, string]>)('GIVEN %s WHEN a workload uses it THEN the workload reports it', (_title, props, message) => {
    const app = new App();
    // WHEN the value is made, nothing is thrown
    const given = props();
    new Microservice(new Chart(app, 'c'), 'web', { image: 'nginx:1.27', ...given });
    // THEN
    expect(messagesOf(validateApp(app))).toEqual([message]);
  });
});
