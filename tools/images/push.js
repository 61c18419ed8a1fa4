#!/usr/bin/env node
// Pushes every image of an OCI layout (tools/images/build.js) to a registry over the
// distribution API, under the name in its org.opencontainers.image.ref.name annotation without
// the registry host: docker.io/library/redis:7-alpine -> <registry>/library/redis:7-alpine.
// Usage: node tools/images/push.js LAYOUT HOST:PORT
/* global Buffer, URL */
'use strict';

const fs = require('fs');
const path = require('path');
const http = require('http');

function request(base, method, urlPath, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const url = new URL(urlPath, base);
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body && typeof body.pipe === 'function') body.pipe(req);
    else req.end(body);
  });
}

/** docker.io/library/redis:7-alpine -> { repo: 'library/redis', tag: '7-alpine' } */
function splitName(name) {
  const at = name.lastIndexOf(':');
  const repoWithHost = name.slice(0, at);
  return { repo: repoWithHost.slice(repoWithHost.indexOf('/') + 1), tag: name.slice(at + 1) };
}

async function pushBlob(base, layout, repo, desc) {
  const head = await request(base, 'HEAD', `/v2/${repo}/blobs/${desc.digest}`);
  if (head.status === 200) return;
  const start = await request(base, 'POST', `/v2/${repo}/blobs/uploads/`, { headers: { 'Content-Length': 0 } });
  if (start.status !== 202) throw new Error(`starting upload of ${desc.digest} to ${repo}: ${start.status} ${start.text}`);
  const location = new URL(start.headers.location, base);
  location.searchParams.set('digest', desc.digest);
  const file = path.join(layout, 'blobs', 'sha256', desc.digest.slice('sha256:'.length));
  const put = await request(base, 'PUT', location.pathname + location.search, {
    body: fs.createReadStream(file),
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': fs.statSync(file).size },
  });
  if (put.status !== 201) throw new Error(`uploading ${desc.digest} to ${repo}: ${put.status} ${put.text}`);
}

async function push(layout, registry) {
  const base = `http://${registry}`;
  const index = JSON.parse(fs.readFileSync(path.join(layout, 'index.json'), 'utf8'));
  const pushed = [];
  for (const entry of index.manifests) {
    const name = entry.annotations['org.opencontainers.image.ref.name'];
    const { repo, tag } = splitName(name);
    const manifestText = fs.readFileSync(path.join(layout, 'blobs', 'sha256', entry.digest.slice(7)));
    const manifest = JSON.parse(manifestText);
    for (const desc of [manifest.config, ...manifest.layers]) await pushBlob(base, layout, repo, desc);
    const r = await request(base, 'PUT', `/v2/${repo}/manifests/${tag}`, {
      body: manifestText, headers: { 'Content-Type': entry.mediaType, 'Content-Length': manifestText.length },
    });
    if (r.status !== 201) throw new Error(`pushing the manifest of ${name}: ${r.status} ${r.text}`);
    pushed.push(name);
  }
  return pushed;
}

module.exports = { push };

if (require.main === module) {
  const [layout, registry] = process.argv.slice(2);
  if (!layout || !registry) {
    process.stderr.write('usage: node tools/images/push.js LAYOUT HOST:PORT\n');
    process.exit(2);
  }
  push(layout, registry).then((names) => {
    process.stdout.write(`${names.join('\n')}\n`);
  }, (e) => {
    process.stderr.write(`[push] ERROR: ${e.message}\n`);
    process.exit(1);
  });
}
