#!/usr/bin/env node
// Runs a CommonJS bundle (build/synth.js, the bench's fleet) with V8's code
// cache: the functions compiled by one run are kept in `<bundle>.v8cache`
// and the next run starts from them instead of parsing and compiling the
// 1.3 MB bundle again, about 25 ms of every synth. Node 22 does this itself
// (module.enableCompileCache); Node 20 has only the vm API used here.
//
// V8 rejects a cache made by another V8 version or with other flags, but of
// the source it checks only the length: the cache therefore starts with a
// hash of the source it was made from, and one of any other source is not
// used. Without a usable cache the bundle runs as it would without one and
// writes a fresh cache when it exits. A cache that cannot be written
// (read-only checkout) only costs that time. Unlike node's own loader, the
// bundle gets no dynamic import(): esbuild's CommonJS bundles have none.
//
// Usage: node scripts/run-bundle.js <bundle.js> [args...]   (the bundle sees argv [node, bundle, args...])
//        require('./run-bundle').runBundle(file)
'use strict';
const { Buffer } = require('buffer');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { createRequire } = require('module');

function runBundle(file) {
  const filename = path.resolve(file);
  const cacheFile = `${filename}.v8cache`;
  // A shebang line is a comment to node's loader but a syntax error inside the wrapper.
  const code = fs.readFileSync(filename, 'utf-8').replace(/^#!.*/, '');
  const hash = crypto.createHash('sha256').update(code).digest();
  let cachedData;
  try {
    const cache = fs.readFileSync(cacheFile);
    cachedData = cache.subarray(0, hash.length).equals(hash) ? cache.subarray(hash.length) : undefined;
  } catch {
    cachedData = undefined; // the first run
  }
  // The same wrapper, on the same line, as node's own CommonJS loader: stack traces keep their line numbers.
  const source = `(function (exports, require, module, __filename, __dirname) { ${code}\n});`;
  const script = new vm.Script(source, { filename, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit the cache also holds every function compiled while running, not only the top level.
    process.once('exit', () => writeCache(cacheFile, hash, script));
  }
  const module = { exports: {}, filename, id: filename, loaded: false };
  const bundleRequire = createRequire(filename);
  bundleRequire.main = module; // the bundle is the program, as under `node <bundle>`
  script.runInThisContext()(module.exports, bundleRequire, module, filename, path.dirname(filename));
  module.loaded = true;
  return module.exports;
}

function writeCache(cacheFile, hash, script) {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    fs.writeFileSync(partial, Buffer.concat([hash, script.createCachedData()]));
    fs.renameSync(partial, cacheFile); // whole or not at all, also when two synths run at once
  } catch {
    fs.rmSync(partial, { force: true });
  }
}

if (require.main === module) {
  if (!process.argv[2]) {
    console.error('usage: node scripts/run-bundle.js <bundle.js> [args...]');
    process.exit(2);
  }
  process.argv.splice(1, 1);
  process.argv[1] = path.resolve(process.argv[1]); // as node makes the path of the script it runs
  runBundle(process.argv[1]);
}

module.exports = { runBundle };
