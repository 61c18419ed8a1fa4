import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support/tmp';

// scripts/run-bundle.js runs `npm run synth`'s compiled app with V8's code cache.

const runner = path.join(__dirname, '..', '..', 'scripts', 'run-bundle.js');

function bundle(body: string): string {
  const dir = tempDir('run-bundle-');
  const file = path.join(dir, 'app.js');
  fs.writeFileSync(file, body);
  return file;
}

function run(file: string, ...args: string[]) {
  return spawnSync(process.execPath, [runner, file, ...args], { encoding: 'utf-8' });
}

const APP = [
  "const path = require('path');",
  'console.log(JSON.stringify({ argv: process.argv.slice(1), file: __filename, dir: __dirname, own: typeof module.exports }));',
  'process.exitCode = Number(process.argv[2] ?? 0);',
].join('\n');

describe('run-bundle: a bundle run with V8\'s code cache', () => {
  test('GIVEN a bundle WHEN run THEN it sees the argv, file names and exit code node would give it, and a cache is written', () => {
    const file = bundle(APP);
    const r = run(file, '3', 'x');
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ argv: [file, '3', 'x'], file, dir: path.dirname(file), own: 'object' });
    expect(fs.statSync(`${file}.v8cache`).size).toBeGreaterThan(0);
  });

  test('GIVEN a cache from an earlier run WHEN run again THEN V8 takes it and it is not written again', () => {
    const file = bundle(APP);
    run(file);
    const before = fs.readFileSync(`${file}.v8cache`);
    fs.writeFileSync(`${file}.v8cache`, before); // a new mtime only
    const mtime = fs.statSync(`${file}.v8cache`).mtimeMs;
    expect(run(file).status).toBe(0);
    expect(fs.statSync(`${file}.v8cache`).mtimeMs).toBe(mtime);
  });

  test.each([
    ['garbage', (b: Buffer) => Buffer.alloc(b.length, 7)],
    ['a truncated file', (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))],
  ])('GIVEN %s as cache THEN the bundle still runs and the cache is written afresh', (_what, spoil) => {
    const file = bundle(APP);
    run(file);
    const good = fs.readFileSync(`${file}.v8cache`);
    fs.writeFileSync(`${file}.v8cache`, spoil(good));
    const r = run(file, '0', 'again');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).argv).toEqual([file, '0', 'again']);
    expect(fs.readFileSync(`${file}.v8cache`).equals(spoil(good))).toBe(false);
  });

  test.each([
    ['of another length', "console.log('changed');"],
    // V8 itself checks only the length of the source.
    ['of the same length', "console.log('before');".replace('before', 'after!')],
  ])('GIVEN a cache of an earlier source WHEN the bundle changed to a source %s THEN the new source runs', (_what, changed) => {
    const file = bundle("console.log('before');");
    expect(run(file).stdout).toBe('before\n');
    fs.writeFileSync(file, changed);
    expect(run(file).stdout).toBe(`${changed.slice(13, -3)}\n`);
    expect(run(file).stdout).toBe(`${changed.slice(13, -3)}\n`);
  });

  test('GIVEN a relative path, a shebang and a require.main guard THEN the bundle runs as under node', () => {
    const file = bundle("#!/usr/bin/env node\nif (require.main === module) console.log(JSON.stringify([process.argv[1], require('path').basename(__filename)]));\n");
    const r = spawnSync(process.execPath, [runner, path.basename(file)], { cwd: path.dirname(file), encoding: 'utf-8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([fs.realpathSync(file), 'app.js']);
  });

  test('GIVEN a bundle that throws THEN the stack trace points at its own line', () => {
    const file = bundle("const a = 1;\n\nthrow new Error('boom ' + a);\n");
    const r = run(file);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Error: boom 1');
    expect(r.stderr).toContain(`${file}:3`);
  });
});
