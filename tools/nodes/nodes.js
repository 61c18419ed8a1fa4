// Starts the real nodes of a local cluster (see host.js for the namespaces): the local
// registry with the stand-in images, then on each node containerd, the kubelet, kube-proxy and
// kube-router (NetworkPolicy firewall only), then cluster DNS, static volumes and MetalLB
// (LoadBalancer addresses on the lan bridge, metallb.js).
'use strict';

const fs = require('fs');
const net = require('net');
const path = require('path');
const { execFileSync } = require('child_process');
const { LAN_GATEWAY, LB_POOL } = require('./host');
const { writeNodeConfig } = require('./node-config');
const { coreDns, volumes } = require('./addons');
const { applyMetalLb, configureMetalLb } = require('./metallb');

const REGISTRY = `${LAN_GATEWAY}:5000`;
const ROOT = path.resolve(__dirname, '..', '..');

/** Whether a unix socket accepts a connection (a socket file may outlive its server). */
function accepts(socket) {
  return new Promise((resolve) => {
    const conn = net.connect(socket);
    conn.on('connect', () => { conn.destroy(); resolve(true); });
    conn.on('error', (e) => resolve(`${socket}: ${e.code}`));
  });
}

function kubeconfigFor(dir, writeKubeconfig, server, certs, name) {
  const file = path.join(dir, 'pki', `${name}.kubeconfig`);
  writeKubeconfig(file, server, certs, {
    cert: fs.readFileSync(path.join(dir, 'pki', `${name}.crt`)),
    key: fs.readFileSync(path.join(dir, 'pki', `${name}.key`)),
  });
  return file;
}

function kubectlApply(kubeconfig, objects) {
  execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }), stdio: ['pipe', 'ignore', 'pipe'],
  });
}

/**
 * ctx: { host, bin, dir, certs, apiInside, api, kubeconfig, internalKubeconfig, start, waitFor,
 * waitForNodesReady, log, since, writeKubeconfig }. Resolves to the node names once every node is Ready and cluster DNS
 * answers.
 */
async function startRealNodes(ctx) {
  const {
    host, bin, dir, certs, apiInside, api, kubeconfig, internalKubeconfig, start, waitFor, waitForNodesReady, log, since,
    writeKubeconfig,
  } = ctx;
  const pki = (f) => path.join(dir, 'pki', f);

  fs.mkdirSync(path.join(dir, 'registry'));
  start('registry', ['registry', 'serve', '--address', REGISTRY, '--disk', path.join(dir, 'registry')],
    undefined, { cmd: path.join(bin, 'crane'), wrap: host.wrapLan() });
  await waitFor('the local registry', async () => {
    const r = await host.lanGet(`http://${REGISTRY}/v2/`);
    return r.status === 200 ? true : `${r.status}`;
  });
  const layout = require('../images/build').build(bin);
  const pushed = host.inLan(process.execPath, [path.join(ROOT, 'tools', 'images', 'push.js'), layout, REGISTRY]);
  log(`registry ${REGISTRY} serves ${pushed.trim().split('\n').length} images (${since()})`);

  const proxyKubeconfig = kubeconfigFor(dir, writeKubeconfig, apiInside, certs, 'kube-proxy');
  const configs = {};
  for (const node of host.nodes) {
    const cfg = writeNodeConfig(node, {
      pki, registry: REGISTRY, proxyKubeconfig,
      kubeletKubeconfig: kubeconfigFor(dir, writeKubeconfig, apiInside, certs, node.name),
    });
    configs[node.name] = cfg;
    const wrap = host.wrapNode(node);
    const socket = path.join(node.dir, 'run', 'containerd', 'containerd.sock');
    const ready = () => accepts(socket);
    start(`containerd-${node.name}`, ['--config', cfg.containerd], undefined, { cmd: 'containerd', wrap, ready });
    await waitFor(`containerd of ${node.name}`, ready);
    start(`kubelet-${node.name}`, [
      `--config=${cfg.kubelet}`, `--kubeconfig=${cfg.kubeletKubeconfig}`,
      `--hostname-override=${node.name}`, `--node-ip=${node.ip}`, '--v=1',
    ], undefined, { cmd: path.join(bin, 'kubelet'), wrap });
  }
  for (const node of host.nodes) {
    await waitFor(`${node.name} registered`, async () => {
      const r = await api('GET', `/api/v1/nodes/${node.name}`);
      return r.status === 200 ? true : `${r.status}`;
    });
    // The pod range the node's CNI config already routes; kube-router reads it from here.
    const r = await api('PATCH', `/api/v1/nodes/${node.name}`, { spec: { podCIDR: node.podCidr, podCIDRs: [node.podCidr] } });
    if (r.status !== 200) throw new Error(`setting the pod range of ${node.name}: ${r.status} ${r.text}`);
    const wrap = host.wrapNode(node);
    start(`kube-proxy-${node.name}`, [`--config=${configs[node.name].proxy}`, '--v=1'], undefined, { cmd: path.join(bin, 'kube-proxy'), wrap });
    start(`kube-router-${node.name}`, [
      `--kubeconfig=${internalKubeconfig}`,
      '--run-firewall=true', '--run-router=false', '--run-service-proxy=false', '--enable-cni=false',
      `--hostname-override=${node.name}`, '--health-port=0', '--metrics-port=0', '--iptables-sync-period=30s',
      '--v=1',
    ], undefined, { cmd: path.join(bin, 'kube-router'), wrap });
  }
  await waitForNodesReady(host.nodes.length, 'real');

  const pvs = volumes(dir);
  for (const pv of pvs) {
    fs.mkdirSync(pv.spec.hostPath.path, { recursive: true });
    fs.chmodSync(pv.spec.hostPath.path, 0o777); // writable by any pod's uid (no fsGroup on hostPath)
  }
  await waitFor('ServiceAccount kube-system/default', async () => {
    const r = await api('GET', '/api/v1/namespaces/kube-system/serviceaccounts/default');
    return r.status === 200 ? true : `${r.status}`;
  });
  kubectlApply(kubeconfig, [...coreDns(), ...pvs]);
  applyMetalLb(kubeconfig, path.join(path.dirname(bin), 'share'));
  await waitFor('cluster DNS (CoreDNS pods Ready behind kube-dns)', async () => {
    const r = await api('GET', '/apis/apps/v1/namespaces/kube-system/deployments/coredns');
    const st = r.json?.status || {};
    return st.readyReplicas === r.json?.spec?.replicas ? true : `${st.readyReplicas ?? 0} of ${r.json?.spec?.replicas} ready`;
  });
  log(`cluster DNS ready (${since()})`);
  await configureMetalLb({ api, kubeconfig, waitFor });
  log(`MetalLB ready: LoadBalancer addresses ${LB_POOL.first}-${LB_POOL.last} (${since()})`);
  return host.nodes.map((n) => n.name);
}

module.exports = { startRealNodes, REGISTRY };
