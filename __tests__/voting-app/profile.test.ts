import { Credentials, Profile, VotingAppChart } from '../../lib';
import { find, ofKind, podsSelectedBy, votingApp } from '../support/manifests';

describe('Profile.PRODUCTION', () => {
  // GIVEN the production profile (credentials come from the existing Secret)
  const objects = votingApp({ profile: Profile.PRODUCTION, credentials: undefined });

  test('exposes vote and result through LoadBalancer Services', () => {
    for (const name of ['vote', 'result']) {
      expect(find(objects, 'Service', name).spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 80, targetPort: 80 }] });
    }
  });

  test('keeps postgres data on a PersistentVolumeClaim', () => {
    expect(find(objects, 'PersistentVolumeClaim', 'db-data').spec.resources.requests.storage).toBe('10Gi');
  });

  test('reads credentials from the existing Secret and emits none', () => {
    expect(ofKind(objects, 'Secret')).toHaveLength(0);
    expect(JSON.stringify(find(objects, 'Deployment', 'db'))).toContain(`"name":"${VotingAppChart.PRODUCTION_DB_SECRET}"`);
  });

  test('runs vote and worker at 2+ replicas with an autoscaler and a disruption budget that select them', () => {
    for (const name of ['vote', 'worker']) {
      // The autoscaler owns the count: a written replicas would reset it on every apply.
      expect(find(objects, 'Deployment', name).spec).not.toHaveProperty('replicas');
      const hpa = find(objects, 'HorizontalPodAutoscaler', name);
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 2, maxReplicas: 5 });
      const pdb = find(objects, 'PodDisruptionBudget', name);
      expect(pdb.spec.maxUnavailable).toBe(1);
      const selected = podsSelectedBy(objects, { ...pdb, spec: { selector: pdb.spec.selector.matchLabels } });
      expect(selected.map(d => d.metadata.name)).toEqual([name]);
    }
  });

  test('runs result at 2 replicas with sticky sessions (socket.io) and a disruption budget, so a drain leaves one serving', () => {
    expect(find(objects, 'Deployment', 'result').spec.replicas).toBe(2);
    expect(find(objects, 'Service', 'result').spec.sessionAffinity).toBe('ClientIP');
    const pdb = find(objects, 'PodDisruptionBudget', 'result');
    expect(pdb.spec.maxUnavailable).toBe(1);
    const selected = podsSelectedBy(objects, { ...pdb, spec: { selector: pdb.spec.selector.matchLabels } });
    expect(selected.map(d => d.metadata.name)).toEqual(['result']);
  });

  test('every disruption budget leaves at least one pod of its workload running', () => {
    const budgets = ofKind(objects, 'PodDisruptionBudget');
    expect(budgets.map(b => b.metadata.name).sort()).toEqual(['result', 'vote', 'worker']);
    for (const pdb of budgets) {
      const name = pdb.metadata.name;
      const fewest = find(objects, 'Deployment', name).spec.replicas ?? find(objects, 'HorizontalPodAutoscaler', name).spec.minReplicas;
      expect(fewest - pdb.spec.maxUnavailable).toBeGreaterThanOrEqual(1);
    }
  });

  test('the front ends drain before they stop, and their updates never drop below the desired count', () => {
    for (const name of ['vote', 'result']) {
      const spec = find(objects, 'Deployment', name).spec;
      expect(spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
      expect(spec.template.spec.terminationGracePeriodSeconds).toBe(35);
      expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    }
  });

  test('keeps the redis queue on a PersistentVolumeClaim: append-only file fsynced before each answer, replaced by Recreate', () => {
    // GIVEN the production profile THEN redis mounts its own claim at /data, where it writes
    const claim = find(objects, 'PersistentVolumeClaim', 'redis-data');
    expect(claim.spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    expect(claim.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'redis' });
    const spec = find(objects, 'Deployment', 'redis').spec;
    const pod = spec.template.spec;
    expect(pod.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'redis-data' } }]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    // AND the append-only file is on, fsynced before redis answers (on SIGTERM redis flushes it)
    expect(pod.containers[0].args).toEqual(['redis-server', '--appendonly', 'yes', '--appendfsync', 'always']);
    // AND the grace period states the time for that final flush; no drain pause: there is no other pod to drain to
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(pod.containers[0].lifecycle).toBeUndefined();
    // AND two servers never share the file
    expect(spec.strategy).toEqual({ type: 'Recreate' });
    // AND the claim's group owns it, so the redis user may write it
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, fsGroup: 1000 });
  });

  test('db, also on a claim, is replaced by Recreate without a drain pause', () => {
    const spec = find(objects, 'Deployment', 'db').spec;
    expect(spec.strategy).toEqual({ type: 'Recreate' });
    expect(spec.template.spec.containers[0].lifecycle).toBeUndefined();
  });

  test('spreads every component across nodes', () => {
    for (const d of ofKind(objects, 'Deployment')) {
      expect(d.spec.template.spec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'kubernetes.io/hostname', maxSkew: 1 });
    }
  });

  test('lives in its own namespace', () => {
    expect(objects[0].metadata.name).toBe('voting-app-production');
  });

  test('explicit props override the profile', () => {
    const custom = votingApp({ profile: Profile.PRODUCTION, credentials: Credentials.fromSecretName('mine'), replicas: { vote: 3, worker: 2 } });
    expect(find(custom, 'HorizontalPodAutoscaler', 'vote').spec).toMatchObject({ minReplicas: 3, maxReplicas: 6 });
    expect(find(custom, 'Deployment', 'vote').spec).not.toHaveProperty('replicas');
    expect(JSON.stringify(find(custom, 'Deployment', 'db'))).toContain('"name":"mine"');
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});
