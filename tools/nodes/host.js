// The machine-side plumbing of the real nodes: network and mount namespaces bound to files in
// the cluster's own folder (never /run/netns), our own cgroups, and one teardown script that
// removes all of it. Nothing here touches the machine's network, sysctls, /run or /var/lib:
//
//   lan namespace   bridge cva0 10.250.0.1/24: the control plane, the registry, the browser;
//                   LoadBalancer addresses 10.250.0.200-220 (MetalLB answers ARP from a node)
//   node-N          its own network namespace (eth0 10.250.0.1N, pods 10.244.N.0/24 routed
//                   through ptp veths) and mount namespace (/run, /var/lib, /var/log are
//                   folders of the cluster; three /proc/sys files the kubelet would write
//                   are read-only files with the values it wants)
//   cgroups         /sys/fs/cgroup/<hierarchy>/cva-<id>-<name>/...: every process of a node,
//                   its shims and its containers, so stopping kills exactly them
'use strict';

const fs = require('fs');
const path = require('path');
const { execFile, execFileSync } = require('child_process');

const LAN_CIDR_PREFIX = '10.250.0';
const LAN_GATEWAY = `${LAN_CIDR_PREFIX}.1`;
const POD_CIDR = '10.244.0.0/16';
const CLUSTER_DNS = '10.96.0.10';
/** LoadBalancer addresses (MetalLB, layer 2) on the lan bridge, above every node's address. */
const LB_POOL = { first: `${LAN_CIDR_PREFIX}.200`, last: `${LAN_CIDR_PREFIX}.220` };
const CGROUP_ROOT = '/sys/fs/cgroup';

const nodeIp = (index) => `${LAN_CIDR_PREFIX}.${11 + index}`;
const nodePodCidr = (index) => `10.244.${index + 1}.0/24`;

/** The values the kubelet insists on; elsewhere it would write them machine-wide. */
const KUBELET_SYSCTLS = { 'vm/overcommit_memory': '1', 'kernel/panic': '10', 'kernel/panic_on_oops': '1' };

function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')}: ${(e.stderr || e.message || '').toString().trim()}`);
  }
}

/** The cgroup v1 hierarchies (and the unified one of a hybrid machine) mounted here. */
function cgroupHierarchies() {
  return fs.readFileSync('/proc/self/mounts', 'utf8').split('\n')
    .map((l) => l.split(' '))
    .filter((f) => (f[2] === 'cgroup' || f[2] === 'cgroup2') && f[1].startsWith(`${CGROUP_ROOT}/`))
    .map((f) => f[1]);
}

class Host {
  /** The short id that names the cgroups of the cluster in `dir`. */
  static idFor(dir) {
    return path.basename(dir).slice(-6).toLowerCase();
  }

  /**
   * dir: the cluster's folder; id: a short id that names this cluster's cgroups.
   */
  constructor(dir, id, nodeCount) {
    this.dir = dir;
    this.id = id;
    this.nsDir = path.join(dir, 'ns');
    this.lanNet = path.join(this.nsDir, 'lan.net');
    this.nodes = Array.from({ length: nodeCount }, (_, i) => ({
      index: i,
      name: `node-${i + 1}`,
      ip: nodeIp(i),
      podCidr: nodePodCidr(i),
      dir: path.join(dir, `node-${i + 1}`),
      net: path.join(this.nsDir, `node-${i + 1}.net`),
      mnt: path.join(this.nsDir, `node-${i + 1}.mnt`),
      cgroup: `cva-${id}-node-${i + 1}`,
    }));
    this.lanCgroup = `cva-${id}-lan`;
    this.hierarchies = cgroupHierarchies();
  }

  /** Runs a command inside the lan namespace (or a node's namespaces). */
  inLan(cmd, args, opts) {
    return run('nsenter', [`--net=${this.lanNet}`, '--', cmd, ...args], opts);
  }

  /** GET inside the lan namespace (curl), shaped like cluster.js's httpGet: { status, text }. */
  lanGet(url, insecure) {
    return new Promise((resolve, reject) => {
      execFile('nsenter', [`--net=${this.lanNet}`, '--', 'curl', '-s', '--max-time', '5', ...(insecure ? ['-k'] : []),
        '-o', '-', '-w', '\n%{http_code}', url], { encoding: 'utf8' }, (err, stdout) => {
        if (err && !stdout) { reject(new Error(`GET ${url}: ${err.message}`)); return; }
        const at = stdout.lastIndexOf('\n');
        resolve({ status: Number(stdout.slice(at + 1)), text: stdout.slice(0, at) });
      });
    });
  }

  inNode(node, cmd, args, opts) {
    return run('nsenter', [`--net=${node.net}`, `--mount=${node.mnt}`, '--', cmd, ...args], opts);
  }

  /**
   * The command prefix that starts a process in a cgroup of ours and the given namespaces:
   * [cmd, ...args] to spawn, followed by the program and its arguments.
   */
  wrap(cgroup, namespaces) {
    const procs = this.hierarchies.map((h) => path.join(h, cgroup, 'system', 'cgroup.procs'));
    const script = `for f in ${procs.map((p) => `'${p}'`).join(' ')}; do echo $$ > "$f"; done; exec ${namespaces.length ? `nsenter ${namespaces.join(' ')} -- ` : ''}"$@"`;
    return ['bash', '-c', script, 'cva-wrap'];
  }

  wrapLan() {
    return this.wrap(this.lanCgroup, [`--net=${this.lanNet}`]);
  }

  wrapNode(node) {
    return this.wrap(node.cgroup, [`--net=${node.net}`, `--mount=${node.mnt}`]);
  }

  makeCgroup(name) {
    for (const h of this.hierarchies) {
      for (const sub of [name, path.join(name, 'system')]) {
        const p = path.join(h, sub);
        fs.mkdirSync(p, { recursive: true });
        if (path.basename(h) === 'cpuset') {
          // A cpuset cgroup takes no process before it has cpus and mems.
          for (const f of ['cpuset.cpus', 'cpuset.mems']) {
            fs.writeFileSync(path.join(p, f), fs.readFileSync(path.join(path.dirname(p), f)));
          }
        }
      }
    }
  }

  /** Creates every namespace, link, route and cgroup. Throws on the first failure. */
  create() {
    fs.mkdirSync(this.nsDir, { recursive: true });
    this.writeTeardown();
    fs.writeFileSync(this.lanNet, '');
    run('unshare', [`--net=${this.lanNet}`, 'true']);
    this.makeCgroup(this.lanCgroup);
    const lan = (...args) => this.inLan('ip', args);
    lan('link', 'set', 'lo', 'up');
    lan('link', 'add', 'cva0', 'type', 'bridge');
    lan('addr', 'add', `${LAN_GATEWAY}/24`, 'dev', 'cva0');
    lan('link', 'set', 'cva0', 'up');
    this.inLan('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
    for (const node of this.nodes) this.createNode(node);
  }

  createNode(node) {
    for (const d of ['run', 'var-lib', 'var-log', 'sysctl', 'cni']) fs.mkdirSync(path.join(node.dir, d), { recursive: true });
    fs.writeFileSync(node.net, '');
    fs.writeFileSync(node.mnt, '');
    run('unshare', [`--net=${node.net}`, 'true']);
    const binds = [
      ['run', '/run'], ['var-lib', '/var/lib'], ['var-log', '/var/log'],
    ].map(([from, to]) => `mount --bind '${path.join(node.dir, from)}' '${to}'`);
    for (const [key, value] of Object.entries(KUBELET_SYSCTLS)) {
      const file = path.join(node.dir, 'sysctl', key.replace('/', '.'));
      fs.writeFileSync(file, `${value}\n`);
      binds.push(`mount --bind '${file}' '/proc/sys/${key}'`, `mount -o remount,bind,ro '/proc/sys/${key}'`);
    }
    run('unshare', [`--mount=${node.mnt}`, '--propagation', 'private', 'bash', '-ec', binds.join('\n')]);
    this.makeCgroup(node.cgroup);

    const lan = (...args) => this.inLan('ip', args);
    const veth = `veth${node.index + 1}`;
    lan('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.net);
    lan('link', 'set', veth, 'master', 'cva0');
    lan('link', 'set', veth, 'up');
    lan('route', 'add', node.podCidr, 'via', node.ip);
    const ip = (...args) => this.inNode(node, 'ip', args);
    ip('link', 'set', 'lo', 'up');
    ip('addr', 'add', `${node.ip}/24`, 'dev', 'eth0');
    ip('link', 'set', 'eth0', 'up');
    ip('route', 'add', 'default', 'via', LAN_GATEWAY);
    for (const other of this.nodes) {
      if (other !== node) ip('route', 'add', other.podCidr, 'via', other.ip);
    }
    this.inNode(node, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
  }

  /** PIDs of every process in this cluster's cgroups (nodes, shims, containers, lan). */
  processes() {
    const pids = new Set();
    const walk = (d) => {
      let entries;
      try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
      try {
        for (const p of fs.readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n')) if (p) pids.add(Number(p));
      } catch { /* gone */ }
      for (const e of entries) if (e.isDirectory()) walk(path.join(d, e.name));
    };
    for (const h of this.hierarchies) {
      for (const name of [this.lanCgroup, ...this.nodes.map((n) => n.cgroup)]) walk(path.join(h, name));
    }
    return [...pids];
  }

  /** What of this cluster is still on the machine: cgroups, namespace files, processes. */
  leftovers() {
    const left = [];
    for (const h of this.hierarchies) {
      for (const name of [this.lanCgroup, ...this.nodes.map((n) => n.cgroup)]) {
        if (fs.existsSync(path.join(h, name))) left.push(`cgroup ${path.join(h, name)}`);
      }
    }
    const mounts = fs.readFileSync('/proc/self/mounts', 'utf8');
    if (mounts.includes(this.dir)) left.push(`mounts under ${this.dir}`);
    for (const pid of this.processes()) left.push(`process ${pid}`);
    return left;
  }

  /**
   * A bash script that kills every process in our cgroups, unmounts the namespace files and
   * removes the cgroups; the watchdog runs it if the starter dies, stop() runs it too.
   */
  writeTeardown() {
    const groups = [this.lanCgroup, ...this.nodes.map((n) => n.cgroup)];
    const dirs = this.hierarchies.flatMap((h) => groups.map((g) => `'${path.join(h, g)}'`)).join(' ');
    const nsFiles = [this.lanNet, ...this.nodes.flatMap((n) => [n.net, n.mnt])].map((f) => `'${f}'`).join(' ');
    this.teardown = path.join(this.dir, 'teardown.sh');
    fs.writeFileSync(this.teardown, `#!/bin/bash
# Removes what the real nodes of ${this.dir} put on the machine. Idempotent.
dirs=(${dirs})
for round in $(seq 1 50); do
  pids=$(for d in "\${dirs[@]}"; do [ -d "$d" ] && find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null; done | sort -u)
  [ -z "$pids" ] && break
  kill -KILL $pids 2>/dev/null
  sleep 0.2
done
for f in ${nsFiles}; do
  while mountpoint -q "$f" 2>/dev/null || grep -qF " $f " /proc/self/mounts; do umount -l "$f" 2>/dev/null || break; done
done
for round in 1 2 3 4 5 6 7 8 9 10; do
  left=0
  for d in "\${dirs[@]}"; do
    [ -d "$d" ] || continue
    find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
    [ -d "$d" ] && left=1
  done
  [ $left = 0 ] && break
  sleep 0.5
done
`, { mode: 0o755 });
  }

  destroy() {
    run('bash', [this.teardown]);
    const left = this.leftovers();
    if (left.length) throw new Error(`teardown left: ${left.join(', ')}`);
  }
}

module.exports = { Host, LAN_GATEWAY, POD_CIDR, CLUSTER_DNS, LB_POOL, nodeIp };
