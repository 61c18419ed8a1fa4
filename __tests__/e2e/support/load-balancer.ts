// LoadBalancer Services in the end-to-end suite: the external address a Service gets (waited
// for, with a failure that says what is missing), and whether a cluster has a load balancer
// implementation at all (a user's own cluster, E2E_KUBECONFIG, may have none).
import { Kubectl, KubeObject } from './kube';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LoadBalancerService extends KubeObject {
  spec: { type?: string; ports?: { port: number }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/** The first external address (IP, else hostname) of a Service, or undefined while it has none. */
export function externalAddress(k: Kubectl, namespace: string, name: string): string | undefined {
  const svc = k.json<LoadBalancerService>(['get', 'service', name, '-n', namespace]);
  const ingress = svc.status?.loadBalancer?.ingress?.[0];
  return ingress?.ip || ingress?.hostname || undefined;
}

/**
 * Waits for the external address of a Service of type LoadBalancer and returns it. Fails after
 * `timeoutMs` with a message naming the Service, its type and status, and its latest events
 * (MetalLB records why it gave no address: no pool, pool exhausted, ...).
 */
export async function loadBalancerAddress(k: Kubectl, namespace: string, name: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const address = externalAddress(k, namespace, name);
      if (address) return address;
    } catch (e) {
      last = (e as Error).message.slice(0, 300);
    }
    if (Date.now() > deadline) break;
    await sleep(1000);
  }
  const svc = k.run(['get', 'service', name, '-n', namespace, '-o', 'jsonpath={.spec.type} {.status}']).stdout;
  const events = k.run(['get', 'events', '-n', namespace, '--field-selector', `involvedObject.name=${name},involvedObject.kind=Service`,
    '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']).stdout.trim();
  throw new Error(`Service ${namespace}/${name} (${svc.trim() || 'not found'}) has no LoadBalancer address after ${timeoutMs / 1000}s: `
    + 'no load balancer implementation gave it one (on our own cluster: MetalLB, see docs/real-nodes.md).'
    + `${events ? `\nIts events:\n${events}` : ' It has no events.'}${last ? `\nLast error: ${last}` : ''}`);
}

/** Whether the cluster gives LoadBalancer Services an address, and how that was found. */
export interface LoadBalancerSupport {
  available: boolean;
  why: string;
}

/**
 * Finds out whether a cluster has a load balancer implementation, as a user's cluster may
 * not: a probe Service of type LoadBalancer (no pods behind it) gets an address within
 * `timeoutMs`, or not. Known in-cluster controllers are named in the answer when present
 * (MetalLB, kube-vip, Cilium's LB IPAM); cloud-provider-kind and `minikube tunnel` run outside
 * the cluster and show only through the probe. The probe Service is deleted afterwards.
 */
export async function detectLoadBalancer(k: Kubectl, timeoutMs = 60_000, namespace = 'e2e-lb-probe'): Promise<LoadBalancerSupport> {
  const known: string[] = [];
  const deployments = k.run(['get', 'deployments,daemonsets', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}']).stdout;
  if (/^metallb-system\//m.test(deployments)) known.push('MetalLB');
  if (/kube-vip/.test(deployments)) known.push('kube-vip');
  if (/^kube-system\/cilium-operator$/m.test(deployments)) known.push('Cilium (its LB IPAM needs a CiliumLoadBalancerIPPool)');
  const seen = known.length ? `; present: ${known.join(', ')}` : '';
  k.ok(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
        {
          apiVersion: 'v1', kind: 'Service', metadata: { name: 'probe', namespace },
          spec: { type: 'LoadBalancer', selector: { 'e2e-lb-probe': 'none' }, ports: [{ port: 80, targetPort: 80 }] },
        },
      ],
    }),
  });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const address = externalAddress(k, namespace, 'probe');
      if (address) return { available: true, why: `a probe LoadBalancer Service got ${address}${seen}` };
      if (Date.now() > deadline) break;
      await sleep(1000);
    }
    return {
      available: false,
      why: `the cluster has no load balancer implementation: a probe LoadBalancer Service got no address in ${timeoutMs / 1000}s${seen}`
        + ' (kind: cloud-provider-kind or MetalLB; minikube: `minikube tunnel` or the metallb addon; see docs/real-nodes.md)',
    };
  } finally {
    k.run(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=false']);
  }
}
