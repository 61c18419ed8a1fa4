#!/usr/bin/env node
// Runs a CommonJS bundle (build/synth.js, the bench's fleet) with V8's code
// cache: the functions compiled by one run are kept in `<bundle>.v8cache`
// and the next run starts from them instead of parsing and compiling the
// 1.3 MB bundle again, about 25 ms of every synth. Node 22 does this itself
// (module.enableCompileCache); Node 20 has only the vm API used here.
//
// V8 checks the cache against the source, its own version and its flags and
// rejects it when any differs; the bundle then runs as it would without a
// cache and writes a fresh one when it exits. A cache that cannot be written
// (read-only checkout) only costs that time.
//
// Usage: node scripts/run-bundle.js <bundle.js> [args...]   (the bundle sees argv [node, bundle, args...])
//        require('./run-bundle').runBundle(file)
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { createRequire } = require('module');

function runBundle(file) {
  const filename = path.resolve(file);
  const cacheFile = `${filename}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // first run, or the bundle was rebuilt
  }
  // The same wrapper, on the same line, as node's own CommonJS loader: stack traces keep their line numbers.
  const source = `(function (exports, require, module, __filename, __dirname) { ${fs.readFileSync(filename, 'utf-8')}\n});`;
  const script = new vm.Script(source, { filename, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit the cache also holds every function compiled while running, not only the top level.
    process.once('exit', () => writeCache(cacheFile, script));
  }
  const module = { exports: {}, filename, id: filename, loaded: false };
  script.runInThisContext()(module.exports, createRequire(filename), module, filename, path.dirname(filename));
  module.loaded = true;
  return module.exports;
}

function writeCache(cacheFile, script) {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    fs.writeFileSync(partial, script.createCachedData());
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
  runBundle(process.argv[1]);
}

module.exports = { runBundle };
