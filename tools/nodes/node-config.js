// Configuration files of one real node: containerd (CRI), CNI, the kubelet and kube-proxy, and
// the registry mirror that makes docker.io and registry.k8s.io names resolve to the local
// registry. Each setting that differs from a default says why.
'use strict';

const fs = require('fs');
const path = require('path');
const { POD_CIDR, CLUSTER_DNS } = require('./host');

const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';
/** Registries whose names the local registry serves; nothing is fetched from outside. */
const MIRRORED_REGISTRIES = ['docker.io', 'registry.k8s.io', 'quay.io'];

function containerdConfig(node) {
  return `version = 2
# /run, /var/lib and /var/log are this node's own folders (its mount namespace), so the
# defaults (root /var/lib/containerd, state /run/containerd, runc root, shim sockets) stay ours.
oom_score = 0

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${SANDBOX_IMAGE}"
  # root here lacks CAP_SYS_RESOURCE: nothing may lower oom_score_adj.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  enable_unprivileged_ports = false
  enable_unprivileged_icmp = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        # No systemd on these machines: cgroupfs, as the kubelet.
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${path.join(node.dir, 'cni')}"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "${path.join(node.dir, 'certs.d')}"
`;
}

/** ptp: every pod a routed veth, so all pod traffic crosses the node's iptables (policies, Services). */
function cniConfig(node) {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: 'cva',
    plugins: [
      {
        type: 'ptp',
        ipMasq: false,
        mtu: 1500,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: node.podCidr }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: path.join(node.dir, 'ipam'),
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  }, null, 2);
}

function hostsToml(registry) {
  return `# Every image of this registry name comes from the cluster's local registry, with no fallback.
server = "http://${registry}"

[host."http://${registry}"]
  capabilities = ["pull", "resolve"]
`;
}

function kubeletConfig(node, pki) {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: ${node.ip}
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: ${pki('ca.crt')}}
authorization: {mode: Webhook}
tlsCertFile: ${pki(`${node.name}-serving.crt`)}
tlsPrivateKeyFile: ${pki(`${node.name}-serving.key`)}
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
# No systemd, cgroup v1: cgroupfs, under a cgroup of this cluster's own.
cgroupDriver: cgroupfs
cgroupRoot: /${node.cgroup}
cgroupsPerQOS: true
failCgroupV1: false
enforceNodeAllocatable: [pods]
# Root here may not lower oom_score_adj.
oomScoreAdj: 0
failSwapOn: false
clusterDNS: [${CLUSTER_DNS}]
clusterDomain: cluster.local
resolvConf: ${path.join(node.dir, 'resolv.conf')}
# A shared test disk: evict only when it is really full.
evictionHard: {memory.available: 100Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2%}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
serializeImagePulls: false
maxPods: 60
rotateCertificates: false
serverTLSBootstrap: false
protectKernelDefaults: false
makeIPTablesUtilChains: true
nodeStatusReportFrequency: 10s
nodeStatusUpdateFrequency: 5s
syncFrequency: 10s
fileCheckFrequency: 10s
shutdownGracePeriod: 0s
`;
}

function kubeProxyConfig(node, kubeconfig) {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: ${kubeconfig}}
hostnameOverride: ${node.name}
bindAddress: ${node.ip}
clusterCIDR: ${POD_CIDR}
mode: iptables
# Zeros: kube-proxy leaves the machine-wide conntrack settings alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
# No node ports on 127.0.0.1 (that needs route_localnet).
iptables: {localhostNodePorts: false, masqueradeAll: false, syncPeriod: 5s, minSyncPeriod: 0s}
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
`;
}

/** Writes every configuration file of the node; returns their paths. */
function writeNodeConfig(node, { pki, registry, kubeletKubeconfig, proxyKubeconfig }) {
  const file = (name, text) => {
    const p = path.join(node.dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  for (const name of MIRRORED_REGISTRIES) file(path.join('certs.d', name, 'hosts.toml'), hostsToml(registry));
  file('resolv.conf', '# the pods of this node resolve through cluster DNS; there is no upstream resolver\n');
  return {
    containerd: file('containerd.toml', containerdConfig(node)),
    cni: file(path.join('cni', '10-cva.conflist'), cniConfig(node)),
    kubelet: file('kubelet.yaml', kubeletConfig(node, pki)),
    kubeletKubeconfig,
    proxy: file('kube-proxy.yaml', kubeProxyConfig(node, proxyKubeconfig)),
  };
}

module.exports = { writeNodeConfig };
