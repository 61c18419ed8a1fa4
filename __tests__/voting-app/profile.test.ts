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
    expect(find(objects, 'Deployment', 'result').spec.replicas).toBe(1);
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
