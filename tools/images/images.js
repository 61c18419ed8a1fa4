// The stand-in images: one Debian root filesystem (mmdebstrap, Debian's packages) shared as
// the first layer of the six Debian-based images, plus a small layer of our own for each that
// sets the stock image's users, entrypoint, paths and program; and three images of a single
// static Go binary (pause, CoreDNS, http-echo, MetalLB's controller and speaker). Each entry keeps the stock image's user,
// ports, entry behaviour and the paths it writes; README.md beside this file says, image by
// image, what it does not model.
'use strict';

/** Debian packages of the shared root filesystem (bookworm, the suite of the machine). */
const BASE_PACKAGES = [
  'redis-server', 'postgresql-15', 'nginx-light', 'python3-flask', 'python3-redis',
  'python3-psycopg2', 'gunicorn', 'nodejs', 'node-express', 'node-pg', 'curl', 'util-linux',
  // nslookup, as busybox gives the Alpine-based stock images
  'bind9-dnsutils',
];

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Users as the stock images define them (name, uid, gid): the base's Debian accounts are
 * replaced by these, so `id` inside a container answers as in the stock image.
 */
const STOCK_USERS = {
  redis: { uid: 999, gid: 1000, group: 'redis', home: '/data' },
  postgres: { uid: 70, gid: 70, group: 'postgres', home: '/var/lib/postgresql' },
  nginx: { uid: 101, gid: 101, group: 'nginx', home: '/var/cache/nginx' },
  curl_user: { uid: 100, gid: 101, group: 'curl_group', home: '/home/curl_user' },
};

/**
 * name: the exact reference the manifests use. base: 'debian' (the shared root filesystem)
 * or 'scratch'. files: [source under tools/images, target path, mode]. dirs: [path, uid,
 * gid, mode] made in the image's own layer. binary: a Go binary (from tools/nodes/build.sh)
 * copied to the image root. users: accounts of STOCK_USERS to add.
 */
const IMAGES = [
  {
    name: 'docker.io/library/redis:7-alpine',
    base: 'debian',
    users: ['redis'],
    files: [['redis/docker-entrypoint.sh', '/usr/local/bin/docker-entrypoint.sh', 0o755]],
    dirs: [['/data', 999, 1000, 0o755]],
    config: {
      Entrypoint: ['docker-entrypoint.sh'], Cmd: ['redis-server'], WorkingDir: '/data',
      ExposedPorts: { '6379/tcp': {} }, Volumes: { '/data': {} }, Env: [`PATH=${PATH}`],
    },
  },
  {
    name: 'docker.io/library/postgres:15-alpine',
    base: 'debian',
    users: ['postgres'],
    files: [['postgres/docker-entrypoint.sh', '/usr/local/bin/docker-entrypoint.sh', 0o755]],
    dirs: [['/var/lib/postgresql/data', 70, 70, 0o777], ['/run/postgresql', 70, 70, 0o2777],
      ['/docker-entrypoint-initdb.d', 0, 0, 0o755]],
    // Listen on every address, as the stock image's postgresql.conf.sample says.
    patchSample: '/usr/share/postgresql/15/postgresql.conf.sample',
    config: {
      Entrypoint: ['docker-entrypoint.sh'], Cmd: ['postgres'], StopSignal: 'SIGINT',
      ExposedPorts: { '5432/tcp': {} }, Volumes: { '/var/lib/postgresql/data': {} },
      Env: [`PATH=/usr/lib/postgresql/15/bin:${PATH}`, 'LANG=C.UTF-8', 'PG_MAJOR=15',
        'PGDATA=/var/lib/postgresql/data'],
    },
  },
  {
    name: 'docker.io/library/nginx:1.27-alpine',
    base: 'debian',
    users: ['nginx'],
    files: [['nginx/docker-entrypoint.sh', '/docker-entrypoint.sh', 0o755],
      ['nginx/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh', '/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh', 0o755],
      ['nginx/nginx.conf', '/etc/nginx/nginx.conf', 0o644],
      ['nginx/default.conf', '/etc/nginx/conf.d/default.conf', 0o644],
      ['nginx/index.html', '/usr/share/nginx/html/index.html', 0o644]],
    dirs: [['/var/cache/nginx', 101, 101, 0o755]],
    // The stock image sends its logs to the container's output.
    links: [['/dev/stdout', '/var/log/nginx/access.log'], ['/dev/stderr', '/var/log/nginx/error.log']],
    config: {
      Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['nginx', '-g', 'daemon off;'], StopSignal: 'SIGQUIT',
      ExposedPorts: { '80/tcp': {} }, Env: [`PATH=${PATH}`],
    },
  },
  {
    name: 'docker.io/dockersamples/examplevotingapp_vote:latest',
    base: 'debian',
    files: [['vote/app.py', '/usr/local/app/app.py', 0o644],
      ['vote/templates/index.html', '/usr/local/app/templates/index.html', 0o644]],
    config: {
      WorkingDir: '/usr/local/app', ExposedPorts: { '80/tcp': {} },
      Cmd: ['gunicorn', 'app:app', '-b', '0.0.0.0:80', '--log-file', '-', '--access-logfile', '-',
        '--workers', '4', '--keep-alive', '0'],
      Env: [`PATH=${PATH}`, 'PYTHONUNBUFFERED=1'],
    },
  },
  {
    name: 'docker.io/dockersamples/examplevotingapp_result:latest',
    base: 'debian',
    files: [['result/server.js', '/usr/local/app/server.js', 0o644],
      ['result/views/index.html', '/usr/local/app/views/index.html', 0o644]],
    config: {
      WorkingDir: '/usr/local/app', ExposedPorts: { '80/tcp': {} }, Cmd: ['node', 'server.js'],
      Env: [`PATH=${PATH}`, 'PORT=80', 'NODE_PATH=/usr/share/nodejs'],
    },
  },
  {
    name: 'docker.io/dockersamples/examplevotingapp_worker:latest',
    base: 'debian',
    files: [['worker/worker.py', '/app/worker.py', 0o644]],
    config: {
      WorkingDir: '/app', Entrypoint: ['python3', '-u', '/app/worker.py'],
      Env: [`PATH=${PATH}`, 'PYTHONDONTWRITEBYTECODE=1'],
    },
  },
  {
    name: 'docker.io/curlimages/curl:8.10.1',
    base: 'debian',
    users: ['curl_user'],
    files: [['curl/entrypoint.sh', '/entrypoint.sh', 0o755]],
    dirs: [['/home/curl_user', 100, 101, 0o755]],
    config: {
      Entrypoint: ['/entrypoint.sh'], Cmd: ['curl'], User: 'curl_user', WorkingDir: '/home/curl_user',
      Env: [`PATH=${PATH}`],
    },
  },
  {
    name: 'docker.io/hashicorp/http-echo:1.0',
    base: 'scratch',
    binary: ['http-echo', '/http-echo'],
    config: { Entrypoint: ['/http-echo'], ExposedPorts: { '5678/tcp': {} } },
  },
  {
    name: 'registry.k8s.io/pause:3.10',
    base: 'scratch',
    binary: ['pause', '/pause'],
    config: { Entrypoint: ['/pause'], User: '65535:65535' },
    infrastructure: true,
  },
  {
    name: 'registry.k8s.io/coredns/coredns:v1.14.7',
    base: 'scratch',
    binary: ['coredns', '/coredns'],
    config: { Entrypoint: ['/coredns'], ExposedPorts: { '53/tcp': {}, '53/udp': {} }, User: '65532:65532' },
    infrastructure: true,
  },
  // MetalLB's images are distroless/static with the program at the root; the manifest sets
  // the controller's user (65534) and runs the speaker as root with NET_RAW on the node's network.
  {
    name: 'quay.io/metallb/controller:v0.15.2',
    base: 'scratch',
    binary: ['metallb-controller', '/controller'],
    config: { Entrypoint: ['/controller'], ExposedPorts: { '7472/tcp': {}, '9443/tcp': {} } },
    infrastructure: true,
  },
  {
    name: 'quay.io/metallb/speaker:v0.15.2',
    base: 'scratch',
    binary: ['metallb-speaker', '/speaker'],
    config: { Entrypoint: ['/speaker'], ExposedPorts: { '7472/tcp': {}, '7946/tcp': {}, '7946/udp': {} } },
    infrastructure: true,
  },
];

module.exports = { BASE_PACKAGES, STOCK_USERS, IMAGES };
