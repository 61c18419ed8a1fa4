#!/usr/bin/env node
/* global Buffer, setTimeout, setInterval, clearInterval */
// A real Kubernetes cluster without Docker: etcd, kube-apiserver, kube-controller-manager and
// kube-scheduler, with either
//   - real nodes (startCluster({ realNodes: N }), the default of `npm run cluster`): containerd,
//     kubelet, kube-proxy and kube-router in namespaces of their own, CoreDNS, a local registry
//     of stand-in images, static volumes (tools/nodes, tools/images); or
//   - kwok's simulated nodes (startCluster({ nodes: N })): pods become Running with IPs and
//     EndpointSlices fill, but no container runs.
// Binaries come from tools/control-plane/build.sh (a cache outside the repository).
//
// Library: const { startCluster } = require('./cluster'); const c = await startCluster();
//          ... c.kubeconfig ...; await c.stop();
// Command: node tools/control-plane/cluster.js [--simulated] [--nodes N]   (npm run cluster)
//          starts it, prints the KUBECONFIG to export, runs until Ctrl-C, refuses to start twice.
//
// The machine sees only 127.0.0.1 (the API server, through a forwarder with real nodes), on free
// ports, and a fresh temporary folder. Authorization is RBAC (and Node, with real nodes); the
// printed kubeconfig is a cluster-admin (system:masters) client cert.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const https = require('https');
const http = require('http');
const { spawn, spawnSync, execFileSync } = require('child_process');

const { Host, LAN_GATEWAY, LB_POOL, nodeIp } = require('../nodes/host');
const { startRealNodes } = require('../nodes/nodes');

const HERE = __dirname;
const SERVICE_CIDR = '10.96.0.0/16';
const POD_CIDR = '10.244.0.1/16';
const NODE_ANNOTATION = 'kwok.x-k8s.io/node';

function cacheRoot() {
  return process.env.CDK8S_VOTING_CACHE || path.join(os.homedir(), '.cache', 'cdk8s-voting-app');
}

/** The well-known lock of `npm run cluster` (one user cluster at a time). */
function lockFile() {
  return process.env.CDK8S_VOTING_CLUSTER_LOCK || path.join(cacheRoot(), 'cluster.lock');
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function binDir() {
  if (process.env.CONTROL_PLANE_BIN_DIR) return process.env.CONTROL_PLANE_BIN_DIR;
  const r = spawnSync('bash', [path.join(HERE, 'build.sh'), '--print-bin-dir'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`control plane binaries are not built: ${(r.stderr || '').trim()}`);
  }
  return r.stdout.trim();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function freePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** CA, apiserver serving cert, admin client cert and service-account key pair, by openssl. */
function makeCertificates(dir, nodes = []) {
  fs.mkdirSync(dir, { recursive: true });
  const ext = (name, text) => fs.writeFileSync(path.join(dir, name), text);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
    '-days', '30', '-subj', '/CN=cdk8s-voting-app-local-ca'], dir);
  const sign = (name, subj, extText) => {
    ext(`${name}.ext`, extText);
    openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '30', '-out', `${name}.crt`, '-extfile', `${name}.ext`], dir);
  };
  sign('apiserver', '/CN=kube-apiserver',
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' +
    `subjectAltName=IP:127.0.0.1,IP:10.96.0.1,IP:${LAN_GATEWAY},DNS:localhost,` +
    'DNS:kubernetes,DNS:kubernetes.default,' +
    'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n');
  const client = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n';
  sign('admin', '/O=system:masters/CN=cdk8s-local-admin', client);
  // Real nodes: each kubelet is system:node:<name> (the Node authorizer), kube-proxy is
  // system:kube-proxy (RBAC's system:node-proxier), and each kubelet serves on its node IP.
  if (nodes.length) sign('kube-proxy', '/CN=system:kube-proxy', client);
  for (const node of nodes) {
    sign(node.name, `/O=system:nodes/CN=system:node:${node.name}`, client);
    sign(`${node.name}-serving`, `/O=system:nodes/CN=system:node:${node.name}`,
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' +
      `subjectAltName=IP:${node.ip},DNS:${node.name}\n`);
  }
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const read = (f) => fs.readFileSync(path.join(dir, f));
  return { dir, ca: read('ca.crt'), adminCert: read('admin.crt'), adminKey: read('admin.key') };
}

function writeKubeconfig(file, server, certs, user = { cert: certs.adminCert, key: certs.adminKey }) {
  const b64 = (buf) => Buffer.from(buf).toString('base64');
  fs.writeFileSync(file, [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: cdk8s-local',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(certs.ca)}`,
    'users:',
    '- name: cdk8s-local-admin',
    '  user:',
    `    client-certificate-data: ${b64(user.cert)}`,
    `    client-key-data: ${b64(user.key)}`,
    'contexts:',
    '- name: cdk8s-local',
    '  context:',
    '    cluster: cdk8s-local',
    '    user: cdk8s-local-admin',
    'current-context: cdk8s-local',
    '',
  ].join('\n'), { mode: 0o600 });
}

/** A tiny Kubernetes API client (client certificate auth) for the start-up checks. */
function apiClient(port, certs) {
  const agent = new https.Agent({ ca: certs.ca, cert: certs.adminCert, key: certs.adminKey, keepAlive: false });
  return (method, urlPath, body) => new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request({
      host: '127.0.0.1', port, path: urlPath, method, agent, timeout: 10000,
      headers: data ? { 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json', 'Content-Length': Buffer.byteLength(data) } : {},
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${urlPath}`)));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

function httpGet(url, insecure) {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { timeout: 5000, rejectUnauthorized: !insecure }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout GET ${url}`)));
    req.on('error', reject);
  });
}

function tail(file, lines) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch (e) {
    return `(no log: ${e.message})`;
  }
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

function nodeObject(name, index) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/role': 'agent',
        'node-role.kubernetes.io/agent': '',
        'topology.kubernetes.io/zone': `zone-${String.fromCharCode(97 + (index % 3))}`,
        type: 'kwok',
      },
    },
    spec: {},
    status: {
      // Node addresses stay on loopback: nothing here ever dials a node, and if the API server
      // were asked to (kubectl logs/exec), it would only reach 127.0.0.x.
      addresses: [
        { type: 'InternalIP', address: `127.0.0.${11 + index}` },
        { type: 'Hostname', address: name },
      ],
      allocatable: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      capacity: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      nodeInfo: {
        architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'fake', kubeProxyVersion: 'fake',
        containerRuntimeVersion: 'kwok', kernelVersion: '', machineID: '', systemUUID: '', bootID: '', osImage: '',
      },
    },
  };
}

/**
 * Starts the control plane. Options: nodes (default 3), log (function for progress lines,
 * default: stderr), timeoutMs (default 180000), dir (a parent for the temporary folder).
 * Resolves to { dir, kubeconfig, server, ports, logs, nodes, logTail(name, n), logTails(n),
 * stop() }. On any failure everything started so far is stopped and the error says why,
 * with the tail of each log.
 */
async function startCluster(options = {}) {
  const nodeCount = options.nodes ?? 3;
  const log = options.log || ((line) => process.stderr.write(`[cluster] ${line}\n`));
  const timeoutMs = options.timeoutMs ?? 180000;
  const bin = options.binDir || binDir();
  const share = path.join(path.dirname(bin), 'share');
  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

  const dir = fs.mkdtempSync(path.join(options.dir || os.tmpdir(), 'cdk8s-control-plane-'));
  const keepDir = Boolean(options.keepDir || process.env.CONTROL_PLANE_KEEP);
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir);
  const children = []; // { name, spec, proc, logFile, exited }
  const realNodes = options.realNodes ?? 0;
  const host = realNodes ? new Host(dir, Host.idFor(dir), realNodes) : undefined;
  let watchdog;
  let stopped = false;
  let stopping;

  const logs = {};
  const logTail = (name, n = 40) => tail(logs[name], n);
  const logTails = (n = 40) => Object.keys(logs)
    .map((name) => `----- ${name} (${logs[name]}), last ${n} lines -----\n${logTail(name, n)}`).join('\n');

  const killAllSync = () => {
    for (const c of children) {
      if (c.exited) continue;
      try { process.kill(-c.proc.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    if (host) { try { host.destroy(); } catch { /* the watchdog tries again */ } }
    if (watchdog) { try { process.kill(watchdog.pid, 'SIGKILL'); } catch { /* gone */ } }
  };
  // Last resort when the process exits without stop(): kill everything, remove the folder.
  const onExit = () => {
    killAllSync();
    if (!keepDir) {
      try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
    }
  };
  process.on('exit', onExit);

  const stop = () => {
    if (stopping) return stopping;
    stopping = (async () => {
      stopped = true;
      // Reverse start order: kwok, scheduler, controller-manager, apiserver, etcd.
      for (const c of [...children].reverse()) await stopChild(c);
      // Containers, shims and whatever else lives in the real nodes' cgroups and namespaces.
      if (host) host.destroy();
      if (watchdog) {
        try { process.kill(watchdog.pid, 'SIGKILL'); } catch { /* gone */ }
      }
      process.removeListener('exit', onExit);
      if (!keepDir) {
        fs.rmSync(dir, { recursive: true, force: true });
      } else {
        log(`kept ${dir}`);
      }
    })();
    return stopping;
  };

  // spec: { name, cmd (default: the binary of that name), args, env, wrap (a command prefix:
  // the namespaces and cgroup of a real node or of the lan), ready (async check after a restart) }.
  const launch = (spec) => {
    const { name, args, env, wrap = [] } = spec;
    const cmd = spec.cmd || path.join(bin, name);
    const logFile = path.join(logDir, `${name}.log`);
    logs[name] = logFile;
    const fd = fs.openSync(logFile, 'a');
    fs.writeSync(fd, `$ ${cmd} ${args.join(' ')}\n`);
    // detached: own process group, so a Ctrl-C in the terminal reaches only this script,
    // which then stops the components in order.
    const argv = [...wrap, cmd, ...args];
    const proc = spawn(argv[0], argv.slice(1), {
      cwd: dir, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, ...env },
    });
    fs.closeSync(fd);
    const child = { name, spec, proc, logFile, exited: false, code: null, expected: false };
    proc.on('exit', (code, signal) => {
      child.exited = true;
      child.code = code ?? signal;
      if (!stopped && !child.expected) log(`${name} exited unexpectedly (${child.code}); see ${logFile}`);
    });
    proc.on('error', (e) => { child.exited = true; child.code = e.message; });
    return child;
  };
  const start = (name, args, env, more = {}) => {
    const child = launch({ name, args, env, ...more });
    children.push(child);
    // The watchdog kills every component if this process dies without stopping them
    // (kill -9, a crashed test runner): no process is left behind.
    restartWatchdog();
    return child;
  };
  const stopChild = async (c) => {
    if (c.exited) return;
    c.expected = true;
    try { process.kill(-c.proc.pid, 'SIGTERM'); } catch { /* gone */ }
    const deadline = Date.now() + 10000;
    while (!c.exited && Date.now() < deadline) await sleep(50);
    if (!c.exited) {
      log(`${c.name} did not stop in 10s: SIGKILL`);
      try { process.kill(-c.proc.pid, 'SIGKILL'); } catch { /* gone */ }
      while (!c.exited) await sleep(50);
    }
  };
  /** Stops the named components (in the order given) and starts them again, with the same arguments. */
  const restart = async (...names) => {
    const found = names.map((n) => {
      const c = children.find((x) => x.name === n);
      if (!c) throw new Error(`no component ${n}`);
      return c;
    });
    for (const c of found) await stopChild(c);
    for (const c of [...found].reverse()) {
      let current = c;
      for (let attempt = 1; ; attempt++) {
        const next = launch(c.spec);
        next.expected = true; // while it may still be started again below
        children[children.indexOf(current)] = next;
        current = next;
        // e.g. the kubelet exits at once if its containerd does not answer yet.
        if (c.spec.ready) await waitFor(`${c.name} ready again`, c.spec.ready, 60000);
        // A containerd that accepts connections may still be restoring its containers ("server
        // is not initialized yet"): a kubelet started then exits within a second. Start it again.
        await sleep(2000);
        if (!next.exited || attempt >= 10) {
          next.expected = false;
          if (next.exited) log(`${c.name} exited (${next.code}) after ${attempt} starts; see ${next.logFile}`);
          break;
        }
        log(`${c.name} exited (${next.code}) right after its restart; starting it again`);
      }
    }
    restartWatchdog();
  };

  const restartWatchdog = () => {
    if (watchdog) { try { process.kill(watchdog.pid, 'SIGKILL'); } catch { /* gone */ } }
    const pids = children.map((c) => c.proc.pid).join(' ');
    const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done
for p in ${pids}; do kill -TERM -- -$p 2>/dev/null; done; sleep 5
for p in ${pids}; do kill -KILL -- -$p 2>/dev/null; done
${host ? `bash '${host.teardown}'` : ''}
${keepDir ? '' : `sleep 1; rm -rf '${dir}'`}`;
    watchdog = spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' });
    watchdog.unref();
  };

  const waitFor = async (what, check, ms = timeoutMs) => {
    const deadline = Date.now() + ms;
    let last = '';
    for (;;) {
      const dead = children.find((c) => c.exited && !c.expected);
      if (dead) throw new Error(`${dead.name} exited (${dead.code}) while waiting for ${what}`);
      try {
        const r = await check();
        if (r === true) return;
        last = r || '';
      } catch (e) {
        last = e.message;
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000}s waiting for ${what}: ${last}`);
      await sleep(250);
    }
  };

  try {
    const [etcdPort, etcdPeerPort, apiPort, kcmPort, schedPort] = realNodes
      // Inside the lan namespace every port is free; only the API forwarder uses the machine's.
      ? [2379, 2380, await freePort(), 10257, 10259]
      : await freePorts(5);
    log(`temporary folder ${dir}`);
    const nodes = host ? host.nodes : [];
    const certs = makeCertificates(path.join(dir, 'pki'), nodes);
    const pki = (f) => path.join(dir, 'pki', f);
    const kubeconfig = path.join(dir, 'kubeconfig');
    const server = `https://127.0.0.1:${apiPort}`;
    writeKubeconfig(kubeconfig, server, certs);
    log(`certificates and kubeconfig written (${since()})`);

    // Real nodes: the control plane runs in the lan namespace; the machine reaches its API
    // server only through a forwarder on 127.0.0.1 (socat, one nsenter per connection).
    const lan = host ? { wrap: host.wrapLan() } : {};
    const get = host ? (url, insecure) => host.lanGet(url, insecure) : httpGet;
    if (host) {
      host.create();
      log(`namespaces, links and cgroups of ${nodes.length} nodes made (${since()})`);
      const connectInside = path.join(dir, 'api-forward.sh'); // socat's EXEC would split the colons
      fs.writeFileSync(connectInside, `#!/bin/sh\nexec nsenter --net=${host.lanNet} -- socat STDIO TCP:${LAN_GATEWAY}:6443\n`, { mode: 0o755 });
      start('api-forwarder', [`TCP-LISTEN:${apiPort},bind=127.0.0.1,reuseaddr,fork`, `EXEC:${connectInside}`],
        undefined, { cmd: 'socat', wrap: host.wrap(host.lanCgroup, []) });
    }
    const apiInside = host ? `https://${LAN_GATEWAY}:6443` : server;

    start('etcd', [
      '--name=local', `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`, `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-cluster=local=http://127.0.0.1:${etcdPeerPort}`, '--initial-cluster-state=new',
      '--unsafe-no-fsync', '--log-level=warn', '--quota-backend-bytes=1073741824',
    ], undefined, lan);
    await waitFor('etcd /health', async () => {
      const r = await get(`http://127.0.0.1:${etcdPort}/health`);
      return r.status === 200 && /"health":\s*"true"/.test(r.text) ? true : r.text;
    });
    log(`etcd ready on 127.0.0.1:${etcdPort} (${since()})`);

    start('kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      ...(host
        ? ['--bind-address=0.0.0.0', `--advertise-address=${LAN_GATEWAY}`, '--secure-port=6443',
          '--kubelet-preferred-address-types=InternalIP',
          // Webhooks (MetalLB's) are called at a pod IP, which the lan namespace routes to its
          // node; it has no route to the Service range, so a ClusterIP would not answer.
          '--enable-aggregator-routing=true',
          `--kubelet-client-certificate=${pki('admin.crt')}`, `--kubelet-client-key=${pki('admin.key')}`,
          '--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction']
        : ['--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
          // The `kubernetes` Service gets no endpoints: an Endpoints address may not be loopback.
          '--endpoint-reconciler-type=none', '--authorization-mode=RBAC']),
      `--cert-dir=${path.join(dir, 'apiserver')}`,
      `--tls-cert-file=${pki('apiserver.crt')}`, `--tls-private-key-file=${pki('apiserver.key')}`,
      `--client-ca-file=${pki('ca.crt')}`,
      // Request-header (front proxy) settings, published in kube-system/extension-apiserver-
      // authentication; the controller-manager and scheduler look them up. Only a client cert
      // named front-proxy-client may use the headers (none is issued).
      `--requestheader-client-ca-file=${pki('ca.crt')}`, '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User', '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
      `--service-account-key-file=${pki('sa.pub')}`, `--service-account-signing-key-file=${pki('sa.key')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`, '--service-node-port-range=30000-32767',
      '--allow-privileged=true', '--profiling=false', '--v=0',
    ], undefined, lan);
    const api = apiClient(apiPort, certs);
    /** Waits until `count` nodes are Ready and carry no NoSchedule/NoExecute taint. */
    const waitForNodesReady = async (count, kind) => {
      await waitFor(`${count} ${kind} nodes Ready`, async () => {
        const r = await api('GET', '/api/v1/nodes');
        const ready = (r.json?.items || []).filter((n) => (n.status?.conditions || [])
          .some((c) => c.type === 'Ready' && c.status === 'True')
          && !(n.spec?.taints || []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'));
        return ready.length === count ? true : `${ready.length} Ready and untainted`;
      });
      log(`${count} ${kind} nodes Ready (${since()})`);
    };
    await waitFor('kube-apiserver /readyz', async () => {
      const r = await api('GET', '/readyz');
      return r.status === 200 ? true : `${r.status} ${r.text.split('\n').filter((l) => l.includes('[-]')).join(' ')}`;
    });
    log(`kube-apiserver ready on ${server} (${since()})`);

    // The components inside the lan namespace reach the API server there, not via the forwarder.
    const internalKubeconfig = path.join(dir, 'kubeconfig-internal');
    writeKubeconfig(internalKubeconfig, apiInside, certs);
    start('kube-controller-manager', [
      `--kubeconfig=${internalKubeconfig}`, `--authentication-kubeconfig=${internalKubeconfig}`, `--authorization-kubeconfig=${internalKubeconfig}`,
      '--bind-address=127.0.0.1', `--secure-port=${kcmPort}`, `--cert-dir=${path.join(dir, 'kcm')}`,
      '--controllers=*', '--use-service-account-credentials=true',
      `--service-account-private-key-file=${pki('sa.key')}`, `--root-ca-file=${pki('ca.crt')}`,
      `--cluster-signing-cert-file=${pki('ca.crt')}`, `--cluster-signing-key-file=${pki('ca.key')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--leader-elect=false', '--profiling=false', '--v=0',
    ], undefined, lan);
    start('kube-scheduler', [
      `--kubeconfig=${internalKubeconfig}`, `--authentication-kubeconfig=${internalKubeconfig}`, `--authorization-kubeconfig=${internalKubeconfig}`,
      '--bind-address=127.0.0.1', `--secure-port=${schedPort}`, `--cert-dir=${path.join(dir, 'scheduler')}`,
      '--leader-elect=false', '--profiling=false', '--v=0',
    ], undefined, lan);
    if (!host) {
      start('kwok', [
        `--kubeconfig=${kubeconfig}`, `--config=${path.join(share, 'kwok-stages.yaml')}`,
        '--manage-all-nodes=false', `--manage-nodes-with-annotation-selector=${NODE_ANNOTATION}=fake`,
        `--cidr=${POD_CIDR}`, '--node-ip=127.0.0.1', '--node-lease-duration-seconds=40',
      ], { KWOK_WORKDIR: path.join(dir, 'kwok') }); // not ~/.kwok: its kwok.yaml would be loaded too
    }

    await waitFor('kube-controller-manager /healthz', async () => {
      const r = await get(`https://127.0.0.1:${kcmPort}/healthz`, true);
      return r.status === 200 ? true : r.text;
    });
    await waitFor('kube-scheduler /healthz', async () => {
      const r = await get(`https://127.0.0.1:${schedPort}/healthz`, true);
      return r.status === 200 ? true : r.text;
    });
    log(`controller-manager and scheduler healthy (${since()})`);

    let nodeNames;
    if (host) {
      nodeNames = await startRealNodes({
        host, bin, dir, certs, apiInside, api, kubeconfig, internalKubeconfig, start, waitFor, waitForNodesReady, log, since,
        writeKubeconfig,
      });
    } else {
      nodeNames = [];
      for (let i = 0; i < nodeCount; i++) {
        const name = `kwok-node-${i}`;
        nodeNames.push(name);
        const r = await api('POST', '/api/v1/nodes', nodeObject(name, i));
        if (r.status !== 201) throw new Error(`creating node ${name}: ${r.status} ${r.text}`);
      }
      await waitForNodesReady(nodeCount, 'simulated');
    }
    await waitFor('ServiceAccount default/default (controller-manager at work)', async () => {
      const r = await api('GET', '/api/v1/namespaces/default/serviceaccounts/default');
      return r.status === 200 ? true : `${r.status}`;
    });
    log(`cluster ready in ${since()}`);

    return {
      dir, kubeconfig, server, nodes: nodeNames, logs, logTail, logTails, stop, restart,
      real: Boolean(host),
      netns: host?.lanNet,
      inLan: (cmd, args) => (host ? host.inLan(cmd, args) : execFileSync(cmd, args, { encoding: 'utf8' })),
      lanCommand: (cmd, args) => (host ? { cmd: 'nsenter', args: [`--net=${host.lanNet}`, '--', cmd, ...args] } : { cmd, args }),
      loadBalancerPool: host ? { ...LB_POOL } : undefined,
      leftovers: () => (host ? host.leftovers() : []),
      ports: { etcd: etcdPort, etcdPeer: etcdPeerPort, apiserver: apiPort, controllerManager: kcmPort, scheduler: schedPort },
      pids: () => Object.fromEntries(children.map((c) => [c.name, c.exited ? null : c.proc.pid])),
      exited: () => children.filter((c) => c.exited && !c.expected).map((c) => `${c.name} (${c.code})`),
    };
  } catch (e) {
    const tails = logTails(30);
    await stop();
    e.message = `control plane failed to start: ${e.message}\n${tails}`;
    throw e;
  }
}

// ---------------------------------------------------------------- command line (npm run cluster)

function acquireLock(info) {
  const file = lockFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info, null, 2) + '\n', { flag: 'wx' });
      return file;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let held;
      try { held = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { held = {}; }
      if (held.pid && alive(held.pid)) {
        const msg = [
          `A local cluster is already running (pid ${held.pid}, started ${held.started}).`,
          held.kubeconfig ? `  export KUBECONFIG=${held.kubeconfig}` : '',
          `Stop it with Ctrl-C in its terminal (or: kill ${held.pid}) before starting another.`,
          `Lock file: ${file}`,
        ].filter(Boolean).join('\n');
        const err = new Error(msg);
        err.code = 'ELOCKED';
        throw err;
      }
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

async function main(argv) {
  // A closed terminal or pipe must not crash the shutdown half-way.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  let nodes;
  let simulated = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--nodes') nodes = Number(argv[++i]);
    else if (argv[i].startsWith('--nodes=')) nodes = Number(argv[i].slice(8));
    else if (argv[i] === '--simulated') simulated = true;
    else if (argv[i] === '-h' || argv[i] === '--help') {
      process.stdout.write([
        'usage: npm run cluster [-- [--simulated] [--nodes N]]',
        '  default: 2 real nodes (containerd, kubelet, kube-proxy, kube-router, CoreDNS, a local registry)',
        '  --simulated: kwok nodes instead (default 3): pods get IPs, no container runs',
        '',
      ].join('\n'));
      return 0;
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  nodes ??= simulated ? 3 : 2;
  const max = simulated ? 20 : 4;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > max) throw new Error(`--nodes must be 1..${max}`);

  let lock;
  try {
    lock = acquireLock({ pid: process.pid, started: new Date().toISOString() });
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  let cluster;
  let exiting = false;
  const shutdown = async (why, code) => {
    if (exiting) return;
    exiting = true;
    process.stderr.write(`\n[cluster] ${why}: stopping...\n`);
    if (cluster) await cluster.stop();
    fs.rmSync(lock, { force: true });
    process.stderr.write('[cluster] stopped, all processes ended.\n');
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => shutdown(sig, 0));
  process.on('exit', () => { try { if (JSON.parse(fs.readFileSync(lock, 'utf8')).pid === process.pid) fs.rmSync(lock, { force: true }); } catch { /* gone */ } });

  try {
    cluster = await startCluster(simulated ? { nodes } : { realNodes: nodes });
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    fs.rmSync(lock, { force: true });
    return 1;
  }
  if (exiting) return 0;
  fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, started: new Date().toISOString(), kubeconfig: cluster.kubeconfig, dir: cluster.dir }, null, 2) + '\n');
  const about = simulated
    ? [`Local Kubernetes control plane is up: ${cluster.server}, ${nodes} simulated (kwok) nodes.`]
    : [`Local Kubernetes cluster is up: ${cluster.server}, ${nodes} real nodes (${cluster.nodes.join(', ')}).`];
  const hint = simulated
    ? ['Pods are simulated by kwok: they get Running and an IP, no container runs (no logs, no exec).']
    : ['Containers really run: kubectl logs, exec and port-forward work. The node IPs live in the',
      "cluster's own network namespace; reach a node port from there, e.g.:",
      `  nsenter --net=${cluster.netns} curl http://${nodeIp(0)}:31000/`];
  process.stdout.write([
    '',
    ...about,
    'In another terminal:',
    '',
    `  export KUBECONFIG=${cluster.kubeconfig}`,
    '  kubectl get nodes',
    '  kubectl apply -f dist/',
    '  kubectl get pods,svc,endpointslices -n voting-app -o wide',
    '',
    `Logs: ${path.join(cluster.dir, 'logs')}`,
    ...hint,
    'Press Ctrl-C to stop; everything is removed.',
    '',
  ].join('\n'));
  const monitor = setInterval(() => {
    const dead = cluster.exited();
    if (dead.length && !exiting) {
      clearInterval(monitor);
      process.stderr.write(`[cluster] ${dead.join(', ')} exited unexpectedly.\n${cluster.logTails(20)}\n`);
      shutdown('component failure', 1);
    }
  }, 1000);
  return new Promise(() => { /* until a signal */ });
}

module.exports = { startCluster, lockFile, cacheRoot, binDir };

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { if (code !== undefined) process.exit(code); }, (e) => {
    process.stderr.write(`${e.stack || e.message}\n`);
    process.exit(1);
  });
}

