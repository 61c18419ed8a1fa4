// LoadBalancer Services on the real nodes: MetalLB v0.15.2 in layer-2 mode, as a bare-metal
// or kind cluster runs it. The manifest is MetalLB's own `config/manifests/metallb-native.yaml`
// (copied from the Go module by tools/control-plane/build.sh into share/), applied unchanged:
// CRDs, RBAC, the controller Deployment, the speaker DaemonSet, the validating webhooks and
// memberlist. Its images (quay.io/metallb/*) are served by the local registry (tools/images).
//
// The address pool is on the nodes' own network, the lan bridge 10.250.0.0/24, above every
// address a node or the gateway uses. A speaker runs on each node with the host network, that
// is in the node's network namespace: it answers ARP for a Service's address on the node's
// eth0, so a client on the lan bridge (the tests, the browser, a load generator) sends that
// address's packets to the node, whose kube-proxy rules forward them to a pod. Nothing of it
// is outside the cluster's namespaces.
//
// The webhooks: the API server runs in the lan namespace, which has a route to each node's pod
// range but none to the Service range, so it is started with --enable-aggregator-routing
// (cluster.js): it then calls a webhook Service at one of its endpoints' pod IPs, not at its
// ClusterIP. The IPAddressPool below is admitted by MetalLB's own webhook.
'use strict';

const path = require('path');
const { execFileSync } = require('child_process');
const { LB_POOL } = require('./host');

const NAMESPACE = 'metallb-system';

/** The pool and its layer-2 announcement. */
function metalLbConfig() {
  return [
    {
      apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'lan', namespace: NAMESPACE },
      spec: { addresses: [`${LB_POOL.first}-${LB_POOL.last}`] },
    },
    {
      apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: { name: 'lan', namespace: NAMESPACE },
      spec: { ipAddressPools: ['lan'] },
    },
  ];
}

function kubectl(kubeconfig, args, input) {
  try {
    return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], {
      input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '' },
    });
  } catch (e) {
    throw new Error(`kubectl ${args.join(' ')}: ${(e.stderr || e.message || '').toString().trim()}`);
  }
}

/** Applies MetalLB's manifest (share/metallb-native.yaml); returns at once. */
function applyMetalLb(kubeconfig, share) {
  kubectl(kubeconfig, ['apply', '-f', path.join(share, 'metallb-native.yaml')]);
}

/**
 * Waits until the controller and every speaker are Ready, then configures the pool (retried
 * until MetalLB's webhook admits it). ctx: { api, kubeconfig, waitFor }.
 */
async function configureMetalLb({ api, kubeconfig, waitFor }) {
  await waitFor('MetalLB controller and speakers Ready', async () => {
    const d = await api('GET', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/controller`);
    const ds = await api('GET', `/apis/apps/v1/namespaces/${NAMESPACE}/daemonsets/speaker`);
    const c = d.json?.status?.readyReplicas ?? 0;
    const s = ds.json?.status || {};
    if (c >= 1 && s.desiredNumberScheduled > 0 && s.numberReady === s.desiredNumberScheduled) return true;
    return `controller ${c} ready, speakers ${s.numberReady ?? 0} of ${s.desiredNumberScheduled ?? '?'}`;
  });
  await waitFor('the address pool, admitted by MetalLB\'s webhook', async () => {
    kubectl(kubeconfig, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: metalLbConfig() }));
    return true;
  });
}

module.exports = { applyMetalLb, configureMetalLb, metalLbConfig, METALLB_NAMESPACE: NAMESPACE };
