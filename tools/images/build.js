#!/usr/bin/env node
// Builds the stand-in images of images.js into one OCI image layout in the cache, outside the
// repository: ${CDK8S_VOTING_CACHE:-~/.cache/cdk8s-voting-app}/images/<key>/oci. The key is a
// hash of this folder, the Debian package list and the Go binaries, so a warm run returns at
// once. The Debian root filesystem (mmdebstrap, about 3 minutes) is cached by its package list.
//
// Usage: node tools/images/build.js --bin-dir DIR   (DIR: the Go binaries of tools/nodes)
//        last line printed: the layout folder. Needs root (mmdebstrap, chown) and mmdebstrap.
/* global Buffer */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const { BASE_PACKAGES, STOCK_USERS, IMAGES } = require('./images');

const HERE = __dirname;
const RECIPE = 1; // bump when the layout this script writes changes
const log = (line) => process.stderr.write(`[images] ${line}\n`);

function cacheRoot() {
  return process.env.CDK8S_VOTING_CACHE || path.join(os.homedir(), '.cache', 'cdk8s-voting-app');
}

function sha256File(file) {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let n;
  while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  fs.closeSync(fd);
  return h.digest('hex');
}

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p) : [p];
  }).sort();
}

/** The shared Debian root filesystem as a tar, made once per package list. */
function baseRootfs(root) {
  const sources = '/etc/apt/sources.list.d/debian.sources';
  const key = crypto.createHash('sha256').update(JSON.stringify(BASE_PACKAGES)).digest('hex').slice(0, 12);
  const tar = path.join(root, `debian-rootfs-${key}.tar`);
  if (fs.existsSync(tar)) return tar;
  if (!fs.existsSync(sources)) throw new Error(`no apt sources at ${sources}: the root filesystem is made from the machine's Debian mirror`);
  log(`mmdebstrap: a bookworm root filesystem with ${BASE_PACKAGES.join(', ')} (about 3 minutes)`);
  const t0 = Date.now();
  const partial = tar.replace(/\.tar$/, '.partial.tar'); // mmdebstrap picks the format by extension
  execFileSync('mmdebstrap', [
    '--variant=apt', '--quiet', `--include=${BASE_PACKAGES.join(',')}`,
    '--dpkgopt=path-exclude=/usr/share/man/*', '--dpkgopt=path-exclude=/usr/share/doc/*',
    '--dpkgopt=path-exclude=/usr/share/locale/*', '--dpkgopt=path-include=/usr/share/locale/locale.alias',
    '--customize-hook=rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*.log',
    '--skip=output/dev', 'bookworm', partial, sources,
  ], { stdio: ['ignore', 'inherit', 'inherit'] });
  fs.renameSync(partial, tar);
  log(`root filesystem: ${(fs.statSync(tar).size / 2 ** 20).toFixed(0)} MiB in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return tar;
}

function readFromTar(tar, member) {
  return execFileSync('tar', ['-xOf', tar, `./${member.replace(/^\//, '')}`], { maxBuffer: 64 << 20 });
}

/** /etc/passwd and /etc/group of the base, with the image's stock accounts in place of Debian's. */
function accounts(baseTar, users) {
  let passwd = readFromTar(baseTar, '/etc/passwd').toString();
  let group = readFromTar(baseTar, '/etc/group').toString();
  for (const name of users) {
    const u = STOCK_USERS[name];
    const drop = (text, field, value) => text.split('\n')
      .filter((l) => l && l.split(':')[0] !== name && l.split(':')[0] !== u.group && l.split(':')[field] !== String(value)).join('\n');
    passwd = `${drop(passwd, 2, u.uid)}\n${name}:x:${u.uid}:${u.gid}:${name}:${u.home}:/sbin/nologin\n`;
    group = `${drop(group, 2, u.gid)}\n${u.group}:x:${u.gid}:${name}\n`;
  }
  return { passwd, group };
}

class Layout {
  constructor(dir) {
    this.dir = dir;
    this.blobs = path.join(dir, 'blobs', 'sha256');
    fs.mkdirSync(this.blobs, { recursive: true });
    this.manifests = [];
  }

  /** Adds a file as a blob (moved when `move`), returns its descriptor fields. */
  addFile(file, mediaType, move) {
    const digest = sha256File(file);
    const target = path.join(this.blobs, digest);
    if (!fs.existsSync(target)) {
      if (move) fs.renameSync(file, target);
      else fs.copyFileSync(file, target);
    } else if (move) fs.rmSync(file);
    return { mediaType, digest: `sha256:${digest}`, size: fs.statSync(target).size };
  }

  addJson(value, mediaType) {
    const text = Buffer.from(JSON.stringify(value));
    const digest = crypto.createHash('sha256').update(text).digest('hex');
    fs.writeFileSync(path.join(this.blobs, digest), text);
    return { mediaType, digest: `sha256:${digest}`, size: text.length };
  }

  write() {
    fs.writeFileSync(path.join(this.dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    fs.writeFileSync(path.join(this.dir, 'index.json'), JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: this.manifests,
    }, null, 2));
  }
}

const LAYER = 'application/vnd.oci.image.layer.v1.tar'; // uncompressed: the registry is local

/** The image's own layer: its files, folders, links and accounts, owned as in the stock image. */
function imageLayer(image, baseTar, binDir, work) {
  const stage = path.join(work, 'stage');
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  const put = (target, data, mode) => {
    const p = path.join(stage, target);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
    fs.chmodSync(p, mode);
  };
  for (const [src, target, mode] of image.files || []) put(target, fs.readFileSync(path.join(HERE, src)), mode);
  if (image.binary) put(image.binary[1], fs.readFileSync(path.join(binDir, image.binary[0])), 0o755);
  if (image.users) {
    const { passwd, group } = accounts(baseTar, image.users);
    put('/etc/passwd', passwd, 0o644);
    put('/etc/group', group, 0o644);
  }
  if (image.patchSample) {
    const sample = readFromTar(baseTar, image.patchSample).toString()
      .replace(/^#?(listen_addresses)\s*=\s*\S+.*$/m, "$1 = '*'");
    put(image.patchSample, sample, 0o644);
  }
  for (const [dir, uid, gid, mode] of image.dirs || []) {
    const p = path.join(stage, dir);
    fs.mkdirSync(p, { recursive: true });
    fs.chownSync(p, uid, gid);
    fs.chmodSync(p, mode);
  }
  for (const [target, link] of image.links || []) {
    const p = path.join(stage, link);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.symlinkSync(target, p);
  }
  const tar = path.join(work, 'layer.tar');
  execFileSync('tar', ['--create', '--file', tar, '--numeric-owner', '--sort=name', '--mtime=@0',
    '--format=posix', '--pax-option=delete=atime,delete=ctime', '-C', stage, '.']);
  return tar;
}

function build(binDir) {
  const root = path.join(cacheRoot(), 'images');
  fs.mkdirSync(root, { recursive: true });
  const h = crypto.createHash('sha256').update(`recipe=${RECIPE}\n${JSON.stringify(BASE_PACKAGES)}\n`);
  for (const f of listFiles(HERE)) h.update(`${path.relative(HERE, f)}\n`).update(fs.readFileSync(f));
  for (const img of IMAGES) if (img.binary) h.update(sha256File(path.join(binDir, img.binary[0])));
  const key = h.digest('hex').slice(0, 12);
  const dest = path.join(root, key);
  if (fs.existsSync(path.join(dest, 'COMPLETE'))) {
    log(`cache hit: ${dest}`);
    return path.join(dest, 'oci');
  }
  const t0 = Date.now();
  const baseTar = IMAGES.some((i) => i.base === 'debian') ? baseRootfs(root) : undefined;
  const work = fs.mkdtempSync(path.join(root, `.tmp-${key}-`));
  try {
    const layout = new Layout(path.join(work, 'oci'));
    const baseLayer = baseTar ? layout.addFile(baseTar, LAYER, false) : undefined;
    for (const image of IMAGES) {
      const own = layout.addFile(imageLayer(image, baseTar, binDir, work), LAYER, true);
      const layers = image.base === 'debian' ? [baseLayer, own] : [own];
      const config = layout.addJson({
        architecture: 'amd64', os: 'linux', created: '1970-01-01T00:00:00Z',
        config: image.config,
        // Uncompressed layers: each diff_id is the layer's own digest.
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
        history: layers.map((l) => ({
          created: '1970-01-01T00:00:00Z',
          created_by: l === baseLayer ? `mmdebstrap bookworm ${BASE_PACKAGES.join(' ')}` : `cdk8s-voting-app stand-in for ${image.name}`,
        })),
      }, 'application/vnd.oci.image.config.v1+json');
      const manifest = layout.addJson({
        schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers,
      }, 'application/vnd.oci.image.manifest.v1+json');
      layout.manifests.push({ ...manifest, annotations: { 'org.opencontainers.image.ref.name': image.name } });
      log(`${image.name}: ${manifest.digest}`);
    }
    layout.write();
    fs.writeFileSync(path.join(work, 'COMPLETE'), `built=${new Date().toISOString()}\nseconds=${(Date.now() - t0) / 1000}\n`);
    fs.rmSync(path.join(work, 'stage'), { recursive: true, force: true });
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(work, dest);
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    throw e;
  }
  log(`built in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${dest}`);
  return path.join(dest, 'oci');
}

module.exports = { build, cacheRoot };

if (require.main === module) {
  const i = process.argv.indexOf('--bin-dir');
  if (i < 0 || !process.argv[i + 1]) {
    process.stderr.write('usage: node tools/images/build.js --bin-dir DIR\n');
    process.exit(2);
  }
  try {
    process.stdout.write(`${build(process.argv[i + 1])}\n`);
  } catch (e) {
    process.stderr.write(`[images] ERROR: ${e.message}\n`);
    process.exit(1);
  }
}
