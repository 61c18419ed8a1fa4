import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AppNamespace, ContainerPort, Credentials, ExternalObjects, IngressPolicy, Microservice, PodSecurityLevel, VotingAppChart, Workload } from '../../lib';
import { codesOf } from '../support/problems';

// Small apps as a user would type them (an App, its Charts, raw bindings beside
// our constructs), each with the exact codes synth must give: the mistakes
// only the whole App shows (the namespace a workload lands in, the claims and
// namespaces it needs, the pods an imported workload stands for).

const storage = (size: string): k8s.PersistentVolumeClaimSpec => ({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString(size) } } });

/** A plain cdk8s Deployment, the way the cdk8s docs write one. */
function deployment(scope: Construct, name: string, spec: Partial<k8s.PodSpec> & { labels?: Record<string, string> } = {}) {
  const { labels = { app: name }, ...pod } = spec;
  return new k8s.KubeDeployment(scope, name, {
    metadata: { name },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name, image: `example/${name}:1.4.2`, ports: [{ containerPort: 8080 }] }], ...pod } },
    },
  });
}

/** A chart for namespace `name`, which it creates first, as AppNamespace's docs ask. */
class TeamChart extends Chart {
  constructor(scope: Construct, name: string, enforce = PodSecurityLevel.BASELINE) {
    super(scope, name, { namespace: name });
    new AppNamespace(this, 'Namespace', { name, enforce });
  }
}

describe('corpus: mistakes only the whole App shows', () => {
  describe('Pod Security of the namespace a workload lands in (CVA111)', () => {
    test('GIVEN a log shipper DaemonSet reading the node\'s logs through hostPath, in a namespace enforcing baseline THEN CVA111', () => {
      const app = new App();
      const ops = new TeamChart(app, 'observability');
      new k8s.KubeDaemonSet(ops, 'fluent-bit', {
        metadata: { name: 'fluent-bit' },
        spec: {
          selector: { matchLabels: { app: 'fluent-bit' } },
          template: {
            metadata: { labels: { app: 'fluent-bit' } },
            spec: {
              containers: [{ name: 'fluent-bit', image: 'fluent/fluent-bit:3.1.9', volumeMounts: [{ name: 'varlog', mountPath: '/var/log', readOnly: true }] }],
              volumes: [{ name: 'varlog', hostPath: { path: '/var/log' } }],
            },
          },
        },
      });
      expect(codesOf(app)).toEqual(['CVA111']);
    });

    test('GIVEN a Microservice that keeps NET_ADMIN, in a namespace enforcing baseline THEN CVA111', () => {
      const app = new App();
      const edge = new TeamChart(app, 'edge');
      new Microservice(edge, 'vpn', {
        image: 'example/vpn:2.6.0', ports: [ContainerPort.udp('wireguard', 51820)], security: { user: 1000, capabilities: ['NET_ADMIN'] },
      });
      expect(codesOf(app)).toEqual(['CVA111']);
    });

    test('GIVEN a team that enforces restricted and a Job running as root THEN CVA111', () => {
      const app = new App();
      const payments = new TeamChart(app, 'payments', PodSecurityLevel.RESTRICTED);
      new k8s.KubeJob(payments, 'migrate', {
        metadata: { name: 'migrate' },
        spec: { template: { spec: { restartPolicy: 'Never', securityContext: { runAsUser: 0 }, containers: [{ name: 'migrate', image: 'example/migrate:1.0.0' }] } } },
      });
      expect(codesOf(app)).toEqual(['CVA111']);
    });
  });

  describe('namespaces nothing creates (CVA203)', () => {
    test('GIVEN a chart written to "shpo" while the App creates "shop" THEN CVA203, once for the namespace', () => {
      const app = new App();
      const shop = new TeamChart(app, 'shop');
      deployment(shop, 'catalog');
      const settings = new Chart(app, 'settings', { namespace: 'shpo' });
      new k8s.KubeConfigMap(settings, 'flags', { metadata: { name: 'flags' }, data: { checkout: 'on' } });
      new k8s.KubeConfigMap(settings, 'limits', { metadata: { name: 'limits' }, data: { cart: '50' } });
      expect(codesOf(app)).toEqual(['CVA203']);
    });
  });

  describe('claims nothing creates (CVA203)', () => {
    test('GIVEN a Deployment mounting an uploads claim nobody defines THEN CVA203', () => {
      const app = new App();
      const cms = new TeamChart(app, 'cms');
      deployment(cms, 'wordpress', { volumes: [{ name: 'uploads', persistentVolumeClaim: { claimName: 'wp-uploads' } }] });
      expect(codesOf(app)).toEqual(['CVA203']);
    });
  });

  describe('imported workloads whose selector matches no pod (CVA201)', () => {
    test('GIVEN a legacy Deployment imported with a misspelt podSelector, protected by an IngressPolicy THEN CVA201 on the import', () => {
      const app = new App();
      const shop = new TeamChart(app, 'shop');
      deployment(shop, 'legacy');
      const legacy = Workload.fromAttributes(shop, 'legacy-import', { name: 'legacy', podSelector: { app: 'legasy' }, ports: [ContainerPort.tcp('http', 8080)] });
      new IngressPolicy(shop, 'legacy-ingress', { target: legacy });
      expect(codesOf(app)).toEqual(['CVA201']);
    });
  });

  describe('valid apps: nothing to report', () => {
    test('GIVEN a StatefulSet whose pods mount the claims of its volumeClaimTemplates, and a backup Job reading one of those claims THEN no code', () => {
      const app = new App();
      const data = new TeamChart(app, 'data');
      new k8s.KubeStatefulSet(data, 'postgres', {
        metadata: { name: 'postgres' },
        spec: {
          serviceName: 'postgres', replicas: 1, selector: { matchLabels: { app: 'postgres' } },
          template: {
            metadata: { labels: { app: 'postgres' } },
            spec: { containers: [{ name: 'postgres', image: 'postgres:16.4', volumeMounts: [{ name: 'pgdata', mountPath: '/var/lib/postgresql/data' }] }] },
          },
          volumeClaimTemplates: [{ metadata: { name: 'pgdata' }, spec: storage('10Gi') }],
        },
      });
      new k8s.KubeJob(data, 'backup', {
        metadata: { name: 'backup' },
        spec: { template: { spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'backup', image: 'example/pg-backup:1.2.0', volumeMounts: [{ name: 'pgdata', mountPath: '/data', readOnly: true }] }],
          volumes: [{ name: 'pgdata', persistentVolumeClaim: { claimName: 'pgdata-postgres-0', readOnly: true } }],
        } } },
      });
      expect(codesOf(app)).toEqual([]);
    });

    test('GIVEN a namespace created by the platform team, declared external, beside one the App creates THEN no code', () => {
      const app = new App();
      new TeamChart(app, 'shop');
      const monitoring = new Chart(app, 'monitoring', { namespace: 'monitoring' });
      ExternalObjects.namespace(monitoring, 'monitoring');
      new k8s.KubeConfigMap(monitoring, 'dashboards', { metadata: { name: 'shop-dashboards' }, data: { 'shop.json': '{}' } });
      expect(codesOf(app)).toEqual([]);
    });

    test('GIVEN a claim made by hand and declared external THEN no code', () => {
      const app = new App();
      const cms = new TeamChart(app, 'cms');
      ExternalObjects.persistentVolumeClaim(cms, 'wp-uploads', { namespace: 'cms' });
      deployment(cms, 'wordpress', { volumes: [{ name: 'uploads', persistentVolumeClaim: { claimName: 'wp-uploads' } }] });
      expect(codesOf(app)).toEqual([]);
    });

    test('GIVEN a partner\'s workload whose pods run outside the App, imported as external and protected by an IngressPolicy THEN no code', () => {
      const app = new App();
      const shop = new TeamChart(app, 'shop');
      const partner = Workload.fromAttributes(shop, 'partner', { name: 'partner-api', podSelector: { app: 'partner-api' }, ports: [ContainerPort.tcp('http', 8080)], external: true });
      new IngressPolicy(shop, 'partner-ingress', { target: partner });
      expect(codesOf(app)).toEqual([]);
    });

    test('GIVEN the voting app in its own chart (baseline enforced, restricted warned, vote, result and worker running as root) THEN no code', () => {
      const app = new App();
      new VotingAppChart(app, 'voting-app', { credentials: Credentials.fromSecretName('db') });
      expect(codesOf(app)).toEqual([]);
    });
  });
});
