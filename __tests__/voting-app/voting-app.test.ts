import { App, Chart, Size } from 'cdk8s';
import { Credentials, Exposure, Persistence, Profile, VotingApp } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';
import { containers, decoded, find, ingressAllowed, Manifest, ofKind, podsSelectedBy, quantity, synth, TEST_PASSWORD, votingApp } from '../support/manifests';
import { messagesOf } from '../support/problems';

const COMPONENTS = ['vote', 'result', 'worker', 'redis', 'db'];
const RECOMMENDED = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'];

describe('VotingApp: the default stack', () => {
  // GIVEN the default stack
  const objects = votingApp();
  const podLabels = (name: string): Record<string, string> => find(objects, 'Deployment', name).spec.template.metadata.labels;

  test('vote gives gunicorn a writable runtime folder for its control socket: XDG_RUNTIME_DIR is its /tmp emptyDir', () => {
    // gunicorn 25.1 and newer opens it under $XDG_RUNTIME_DIR, else under $HOME, which is on the read-only root.
    const spec = find(objects, 'Deployment', 'vote').spec.template.spec;
    expect(spec.containers[0].env).toEqual([{ name: 'XDG_RUNTIME_DIR', value: '/tmp' }]);
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(spec.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } });
  });

  test('redis keeps its data in an emptyDir with a size limit, so it cannot fill the node\'s disk', () => {
    expect(find(objects, 'Deployment', 'redis').spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: { sizeLimit: '256Mi' } }]);
  });

  test('has exactly the five Deployments, by exact name, one replica each', () => {
    const deployments = ofKind(objects, 'Deployment');
    expect(deployments.map(d => d.metadata.name).sort()).toEqual([...COMPONENTS].sort());
    deployments.forEach(d => expect(d.spec.replicas).toBe(1));
  });

  test('has Services redis, db (ClusterIP), vote and result (NodePort), and none for worker', () => {
    const services = Object.fromEntries(ofKind(objects, 'Service').map(s => [s.metadata.name, s.spec]));
    expect(Object.keys(services).sort()).toEqual(['db', 'redis', 'result', 'vote']);
    expect(services.redis).toMatchObject({ type: 'ClusterIP', ports: [{ port: 6379, targetPort: 6379 }] });
    expect(services.db).toMatchObject({ type: 'ClusterIP', ports: [{ port: 5432, targetPort: 5432 }] });
    expect(services.vote).toMatchObject({ type: 'NodePort', ports: [{ port: 8080, targetPort: 80, nodePort: 31000 }] });
    expect(services.result).toMatchObject({ type: 'NodePort', ports: [{ port: 8081, targetPort: 80, nodePort: 31001 }] });
  });

  test('puts every namespaced object in the voting-app namespace, created first', () => {
    expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'voting-app' } });
    objects.slice(1).forEach(o => expect(o.metadata.namespace).toBe('voting-app'));
  });

  test.each(['Service', 'Deployment'])('every %s selector matches exactly its own component and no other', kind => {
    for (const o of ofKind(objects, kind)) {
      const selector = kind === 'Service' ? o.spec.selector : o.spec.selector.matchLabels;
      const matching = ofKind(objects, 'Deployment').filter(d => Object.entries(selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
      expect(matching.map(d => d.metadata.name)).toEqual([o.metadata.name]);
    }
  });

  test('selectors use only stable labels, never one derived from the construct path', () => {
    const selectors: Array<Record<string, string>> = [
      ...ofKind(objects, 'Service').map(s => s.spec.selector),
      ...ofKind(objects, 'Deployment').map(d => d.spec.selector.matchLabels),
      ...ofKind(objects, 'NetworkPolicy').flatMap(p => [p.spec.podSelector.matchLabels,
        ...(p.spec.ingress ?? []).flatMap((r: { from?: Array<{ podSelector: { matchLabels: Record<string, string> } }> }) => (r.from ?? []).map(f => f.podSelector.matchLabels))]),
    ];
    for (const selector of selectors) {
      expect(Object.keys(selector).sort()).toEqual(['app.kubernetes.io/instance', 'app.kubernetes.io/name']);
    }
    expect(JSON.stringify(objects)).not.toContain('cdk8s.io/metadata.addr');
  });

  test('every Service targetPort is a port its selected container declares', () => {
    for (const service of ofKind(objects, 'Service')) {
      const [deployment] = podsSelectedBy(objects, service);
      const declared = deployment.spec.template.spec.containers.flatMap((c: { ports?: Array<{ containerPort: number }> }) => (c.ports ?? []).map(p => p.containerPort));
      for (const port of service.spec.ports) {
        expect(declared).toContain(port.targetPort);
      }
    }
  });

  test('every object carries the recommended labels', () => {
    for (const o of objects) {
      for (const label of RECOMMENDED) {
        expect(o.metadata.labels).toHaveProperty([label]);
      }
      expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'voting-app', 'app.kubernetes.io/managed-by': 'cdk8s' });
    }
    for (const name of COMPONENTS) {
      expect(podLabels(name)).toMatchObject({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'voting-app' });
      expect(podLabels(name)).toHaveProperty(['app.kubernetes.io/component']);
    }
  });

  describe('a second kubectl apply changes nothing (no value the API server drops or rewrites)', () => {
    const walk = (value: unknown, path: string, visit: (path: string, value: unknown) => void): void => {
      visit(path, value);
      if (Array.isArray(value)) {
        value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
      } else if (value !== null && typeof value === 'object') {
        Object.entries(value).forEach(([k, v]) => walk(v, `${path}.${k}`, visit));
      }
    };
    const all = [...objects, ...votingApp({ profile: Profile.PRODUCTION, credentials: undefined })];

    test('no probe writes initialDelaySeconds: 0', () => {
      all.forEach(o => walk(o, o.metadata.name, (p, v) => {
        if (p.endsWith('.initialDelaySeconds')) {
          expect(`${p}=${v}`).not.toMatch(/=0$/);
        }
      }));
    });

    test('no empty lists', () => {
      all.forEach(o => walk(o, `${o.kind}/${o.metadata.name}`, (p, v) => expect(Array.isArray(v) && v.length === 0 ? p : '').toBe('')));
    });

    test('Secrets use data, not stringData, which the server folds into data', () => {
      ofKind(all, 'Secret').forEach(s => expect(s.stringData).toBeUndefined());
    });

    test('a Deployment strategy is Recreate alone, or RollingUpdate with both of its parameters (a bare one is filled in by the server)', () => {
      ofKind(all, 'Deployment').forEach(d => expect([
        { type: 'Recreate' }, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      ]).toContainEqual(d.spec.strategy));
    });
  });

  describe('credentials', () => {
    test('user and password live in one Secret and reach db through secretKeyRef', () => {
      const secrets = ofKind(objects, 'Secret');
      expect(secrets).toHaveLength(1);
      expect(decoded(secrets[0])).toEqual({ username: 'postgres', password: TEST_PASSWORD });
      const env = find(objects, 'Deployment', 'db').spec.template.spec.containers[0].env;
      expect(env).toEqual(expect.arrayContaining([
        { name: 'POSTGRES_USER', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'username' } } },
        { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
      ]));
    });

    test('no password appears as a literal env value anywhere', () => {
      for (const { container } of containers(objects)) {
        for (const e of (container.env ?? []).filter((v: { name: string }) => /PASSWORD|USER/i.test(v.name))) {
          expect(e.value).toBeUndefined();
          expect(e.valueFrom.secretKeyRef).toBeDefined();
        }
      }
      const outsideSecrets = objects.filter(o => o.kind !== 'Secret');
      expect(JSON.stringify(outsideSecrets)).not.toContain(TEST_PASSWORD);
    });

    test('every secretKeyRef reaches a key of a Secret in the output', () => {
      const secrets = ofKind(objects, 'Secret');
      const refs = containers(objects).flatMap(({ container }) => (container.env ?? []).map((e: { valueFrom?: { secretKeyRef?: { name: string; key: string } } }) => e.valueFrom?.secretKeyRef).filter(Boolean));
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        const secret = secrets.find(s => s.metadata.name === ref.name);
        expect(secret).toBeDefined();
        expect(Object.keys({ ...(secret?.stringData as object), ...(secret?.data as object) })).toContain(ref.key);
      }
    });

    test('an existing Secret is referenced, not emitted', () => {
      // GIVEN credentials from an existing Secret with custom keys
      const withExisting = votingApp({ credentials: Credentials.fromSecretName('prod-db', { usernameKey: 'user', passwordKey: 'pass' }) });
      // THEN no Secret is written and db reads the named keys
      expect(ofKind(withExisting, 'Secret')).toHaveLength(0);
      const env = find(withExisting, 'Deployment', 'db').spec.template.spec.containers[0].env;
      expect(env).toEqual(expect.arrayContaining([
        { name: 'POSTGRES_USER', valueFrom: { secretKeyRef: { name: 'prod-db', key: 'user' } } },
        { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'prod-db', key: 'pass' } } },
      ]));
    });
  });

  test('every image has an explicit tag; postgres is 15-alpine and redis is pinned to a major version', () => {
    for (const { container } of containers(objects)) {
      expect(container.image).toMatch(/^[^@\s]+:[\w.-]+$/);
    }
    expect(find(objects, 'Deployment', 'db').spec.template.spec.containers[0].image).toBe('postgres:15-alpine');
    expect(find(objects, 'Deployment', 'redis').spec.template.spec.containers[0].image).toMatch(/^redis:\d+(-alpine)?$/);
  });

  test('every container requests CPU and memory and has a memory limit; the stack fits a 2-CPU laptop cluster', () => {
    let cpu = 0;
    let memory = 0;
    for (const { container } of containers(objects)) {
      const { requests, limits } = container.resources;
      expect(requests.cpu).toBeDefined();
      expect(requests.memory).toBeDefined();
      expect(limits.memory).toBeDefined();
      expect(quantity(limits.memory, 'memory')).toBeGreaterThanOrEqual(quantity(requests.memory, 'memory'));
      cpu += quantity(requests.cpu, 'cpu');
      memory += quantity(requests.memory, 'memory');
    }
    expect(cpu).toBeLessThanOrEqual(1000);
    expect(memory).toBeLessThanOrEqual(1.5 * 1024 ** 3);
  });

  describe('probes', () => {
    const probe = (name: string, kind: string) => find(objects, 'Deployment', name).spec.template.spec.containers[0][kind];

    test('vote and result are ready when GET / on their http port answers', () => {
      for (const name of ['vote', 'result']) {
        expect(probe(name, 'readinessProbe').httpGet).toEqual({ path: '/', port: 'http' });
        expect(probe(name, 'livenessProbe').httpGet).toEqual({ path: '/', port: 'http' });
      }
    });

    test('redis is ready when redis-cli ping answers PONG', () => {
      expect(probe('redis', 'readinessProbe').exec.command.join(' ')).toContain('redis-cli ping | grep -q PONG');
    });

    test('db is ready when pg_isready succeeds over TCP', () => {
      expect(probe('db', 'readinessProbe').exec.command).toEqual(['pg_isready', '-h', '127.0.0.1', '-p', '5432']);
    });

    test('liveness cannot kill a healthy pod: it tolerates a minute of failures, and db only after startup', () => {
      for (const name of ['vote', 'result', 'redis', 'db']) {
        const live = probe(name, 'livenessProbe');
        expect(live.failureThreshold * live.periodSeconds).toBeGreaterThanOrEqual(60);
      }
      const startup = probe('db', 'startupProbe');
      expect(startup.failureThreshold * startup.periodSeconds).toBeGreaterThanOrEqual(300);
    });

    test('named probe ports are ports of the container', () => {
      for (const { container } of containers(objects)) {
        const names = (container.ports ?? []).map((p: { name: string }) => p.name);
        for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
          const port = container[kind]?.httpGet?.port ?? container[kind]?.tcpSocket?.port;
          if (port !== undefined) {
            expect(names).toContain(port);
          }
        }
      }
    });
  });

  describe('security', () => {
    test('every pod uses the RuntimeDefault seccomp profile and no container can escalate privileges', () => {
      for (const { container, pod } of containers(objects)) {
        expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
        expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } });
        expect(pod.automountServiceAccountToken).toBe(false);
      }
    });

    test.each([['redis', 999, '/data'], ['db', 70, '/var/lib/postgresql/data']])('%s runs as its image user %i with a read-only root and a writable %s', (name, uid, dataPath) => {
      const pod = find(objects, 'Deployment', name).spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid });
      expect(pod.securityContext.fsGroup).toBeDefined();
      expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
      expect(pod.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toContain(dataPath);
    });

    test('the app images keep the root user they require, with no capability, a read-only root and a writable /tmp', () => {
      for (const name of ['vote', 'result', 'worker']) {
        const pod = find(objects, 'Deployment', name).spec.template.spec;
        expect(pod.securityContext.runAsUser).toBeUndefined();
        expect(pod.containers[0].securityContext).toMatchObject({ capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
        expect(pod.containers[0].securityContext.capabilities.add).toBeUndefined();
        expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      }
    });

    test('vote and result bind port 80 through the safe sysctl, not a capability', () => {
      for (const name of ['vote', 'result']) {
        expect(find(objects, 'Deployment', name).spec.template.spec.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
      }
    });
  });

  describe('stopping and updates', () => {
    const spec = (name: string) => find(objects, 'Deployment', name).spec;

    test('vote, result and redis (each with a Service, replaced by rolling updates) drain 5 s before they stop, with 35 s of grace', () => {
      for (const name of ['vote', 'result', 'redis']) {
        expect(spec(name).template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
        expect(spec(name).template.spec.terminationGracePeriodSeconds).toBe(35);
      }
    });

    test('worker (no Service) and db (Recreate) stop as Kubernetes stops them: no pause, the default grace period', () => {
      for (const name of ['worker', 'db']) {
        expect(spec(name).template.spec.containers[0].lifecycle).toBeUndefined();
        expect(spec(name).template.spec.terminationGracePeriodSeconds).toBeUndefined();
      }
    });

    test('every rolling update starts a new pod before it stops an old one; db is replaced by Recreate', () => {
      for (const name of ['vote', 'result', 'worker', 'redis']) {
        expect(spec(name).strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
      }
      expect(spec('db').strategy).toEqual({ type: 'Recreate' });
    });

    test('a redis queue on a claim is replaced by Recreate, append-only, without a drain pause', () => {
      // GIVEN redisPersistence, outside any profile
      const persistent = votingApp({ redisPersistence: Persistence.claim({ size: Size.gibibytes(2), storageClass: 'standard' }) });
      // THEN redis has its own claim, and the pod is replaced whole
      expect(find(persistent, 'PersistentVolumeClaim', 'redis-data').spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '2Gi' } } });
      const redis = find(persistent, 'Deployment', 'redis').spec;
      expect(redis.strategy).toEqual({ type: 'Recreate' });
      expect(redis.template.spec.containers[0].args).toEqual(['redis-server', '--appendonly', 'yes', '--appendfsync', 'always']);
      expect(redis.template.spec.containers[0].lifecycle).toBeUndefined();
      expect(redis.template.spec.terminationGracePeriodSeconds).toBe(30);
      // AND db stays as it was: on its emptyDir
      expect(ofKind(persistent, 'PersistentVolumeClaim').map(c => c.metadata.name)).toEqual(['redis-data']);
    });

    test('a bad redis claim is reported by redis, as synth reports every problem', () => {
      const app = new App();
      new VotingApp(new Chart(app, 'c'), 'app', { credentials: Credentials.fromPassword({ password: TEST_PASSWORD }), redisPersistence: Persistence.claim({ size: Size.kibibytes(10) }) });
      expect(messagesOf(validateApp(app))).toEqual([expect.stringMatching(/^\[c\/app\/Redis\] CVA102 the persistent volume size of Persistence\.claim must be a positive whole number of MiB/)]);
    });

    test('result at 2 replicas (sticky) gets a disruption budget; at 1 it gets none', () => {
      const two = votingApp({ replicas: { result: 2 }, resultStickySessions: true });
      expect(find(two, 'PodDisruptionBudget', 'result').spec.maxUnavailable).toBe(1);
      expect(ofKind(objects, 'PodDisruptionBudget')).toHaveLength(0);
    });
  });

  describe('db data', () => {
    test('lives on a volume at /var/lib/postgresql/data with PGDATA in a subdirectory, emptyDir by default', () => {
      const pod = find(objects, 'Deployment', 'db').spec.template.spec;
      const mount = pod.containers[0].volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/var/lib/postgresql/data');
      expect(pod.volumes.find((v: { name: string }) => v.name === mount.name)).toEqual({ name: mount.name, emptyDir: {} });
      const pgdata = pod.containers[0].env.find((e: { name: string }) => e.name === 'PGDATA');
      expect(pgdata.value.startsWith('/var/lib/postgresql/data/')).toBe(true);
      expect(ofKind(objects, 'PersistentVolumeClaim')).toHaveLength(0);
      expect(find(objects, 'Deployment', 'db').spec.strategy).toEqual({ type: 'Recreate' });
    });

    test('uses a PersistentVolumeClaim when persistence is switched on', () => {
      const persistent = votingApp({ persistence: Persistence.claim({ size: Size.gibibytes(5), storageClass: 'standard' }) });
      const claim = find(persistent, 'PersistentVolumeClaim', 'db-data');
      expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '5Gi' } } });
      const pod = find(persistent, 'Deployment', 'db').spec.template.spec;
      expect(pod.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'db-data' } });
    });
  });

  describe('network policies', () => {
    const ports: Record<string, number> = { db: 5432, redis: 6379, vote: 80, result: 80, worker: 80 };
    const allowed: Record<string, string[]> = {
      db: ['worker', 'result'],
      redis: ['vote', 'worker'],
      worker: [],
      vote: COMPONENTS,
      result: COMPONENTS,
    };
    const cases = COMPONENTS.flatMap(to => COMPONENTS.filter(from => from !== to).map(from => [from, to, allowed[to].includes(from)] as const));

    test.each(cases)('%s -> %s allowed: %s', (from, to, expected) => {
      expect(ingressAllowed(objects, podLabels(from), podLabels(to), ports[to])).toBe(expected);
    });

    test('a pod of another app in the namespace cannot reach db or redis', () => {
      const stranger = { 'app.kubernetes.io/name': 'debug', 'app.kubernetes.io/instance': 'voting-app' };
      expect(ingressAllowed(objects, stranger, podLabels('db'), 5432)).toBe(false);
      expect(ingressAllowed(objects, stranger, podLabels('redis'), 6379)).toBe(false);
    });

    test('nobody loses DNS: policies restrict ingress only', () => {
      for (const policy of ofKind(objects, 'NetworkPolicy')) {
        expect(policy.spec.policyTypes).toEqual(['Ingress']);
        expect(policy.spec.egress).toBeUndefined();
      }
    });

    test('can be switched off', () => {
      expect(ofKind(votingApp({ networkPolicies: false }), 'NetworkPolicy')).toHaveLength(0);
    });
  });
});

describe('VotingApp: configuration', () => {
  const credentials = Credentials.fromPassword({ password: 'x' });

  test('ports, node ports and exposure are configurable', () => {
    const objects = votingApp({ voteExposure: Exposure.nodePort(80, 30500), resultExposure: Exposure.loadBalancer(443) });
    expect(find(objects, 'Service', 'vote').spec).toMatchObject({ type: 'NodePort', ports: [{ port: 80, targetPort: 80, nodePort: 30500 }] });
    expect(find(objects, 'Service', 'result').spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: 80 }] });
    expect(find(objects, 'Service', 'result').spec.ports[0].nodePort).toBeUndefined();
  });

  test('GIVEN ballot options THEN vote gets them as OPTION_A and OPTION_B', () => {
    const env = find(votingApp({ ballot: { optionA: 'Tabs', optionB: 'Spaces' } }), 'Deployment', 'vote').spec.template.spec.containers[0].env;
    expect(env).toEqual([{ name: 'OPTION_A', value: 'Tabs' }, { name: 'OPTION_B', value: 'Spaces' }, { name: 'XDG_RUNTIME_DIR', value: '/tmp' }]);
  });

  test('images are configurable', () => {
    const objects = votingApp({ images: { redis: 'redis:7.2-alpine', vote: 'example/vote:1.2.3' } });
    expect(find(objects, 'Deployment', 'redis').spec.template.spec.containers[0].image).toBe('redis:7.2-alpine');
    expect(find(objects, 'Deployment', 'vote').spec.template.spec.containers[0].image).toBe('example/vote:1.2.3');
  });

  test('GIVEN the stock images THEN their moving latest tag is accepted on purpose; GIVEN latest chosen by the user THEN it is refused', () => {
    // The stock app images are published only as latest, before and after.
    expect(find(votingApp(), 'Deployment', 'vote').spec.template.spec.containers[0].image).toBe('dockersamples/examplevotingapp_vote:latest');
    expect(() => votingApp({ images: { vote: 'example/vote:latest' } })).toThrow(
      '[voting-app/App/Vote/FrontEnd/Workload] CVA104 image "example/vote:latest" uses the moving tag latest, so every pull may bring a different version. Fix: pin a version or digest, e.g. "example/vote:1.0"; for an image published only as latest, set allowLatestTag: true');
  });

  test('result above 1 replica without sticky sessions is an error', () => {
    expect(() => votingApp({ replicas: { result: 2 } })).toThrow(
      '[voting-app/App/Result] CVA108 result asks for 2 replicas without sticky sessions; socket.io then drops its connections. Fix: keep replicas at 1, or set resultStickySessions: true');
  });

  test('GIVEN several mistakes in one VotingApp THEN synth reports every one of them together', () => {
    const app = new App();
    new VotingApp(new Chart(app, 'c'), 'app', {
      externalDatabase: { host: 'db.example.com' }, credentials: Credentials.fromPassword({ password: 'p' }),
      replicas: { result: 2 },
    });
    expect(messagesOf(validateApp(app))).toEqual([
      '[c/app] CVA108 externalDatabase is set together with in-cluster database settings (credentials, persistence, postgres image or resources). Fix: drop those settings: the external database keeps its own credentials and data',
      '[c/app/Result] CVA108 result asks for 2 replicas without sticky sessions; socket.io then drops its connections. Fix: keep replicas at 1, or set resultStickySessions: true',
    ]);
  });

  test('result may scale with sticky sessions, which pin clients by IP', () => {
    const objects = votingApp({ replicas: { result: 3 }, resultStickySessions: true });
    expect(find(objects, 'Deployment', 'result').spec.replicas).toBe(3);
    expect(find(objects, 'Service', 'result').spec.sessionAffinity).toBe('ClientIP');
  });

  test('without a chart namespace, the library writes no namespace at all', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new VotingApp(chart, 'app', { credentials });
    const objects: Manifest[] = synth(chart);
    objects.forEach(o => expect(o.metadata.namespace).toBeUndefined());
    expect(ofKind(objects, 'Namespace')).toHaveLength(0);
  });
});
