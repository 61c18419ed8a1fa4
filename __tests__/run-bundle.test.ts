import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './support/tmp';

// scripts/run-bundle.js runs `npm run synth`'s compiled app with V8's code cache. These
// checks call it in-process; __tests__/cli/run-bundle.test.ts (`npm run test:cli`) runs it as
// a program, in child processes, for what only a process shows: argv, the exit code, a
// relative path.

// Jest gives each require function a read-only `main`, which run-bundle sets, as node does for
// the program it runs: the bundle gets a plain function that forwards to jest's.
const builtin = jest.requireActual<typeof import('module')>('module');
const jestCreateRequire = builtin.createRequire;
jest.spyOn(builtin, 'createRequire').mockImplementation(file => {
  const jestRequire = jestCreateRequire(file);
  return Object.assign((id: string) => jestRequire(id), jestRequire);
});
const { runBundle } = jest.requireActual<{ runBundle(file: string): unknown }>('../scripts/run-bundle');

function bundle(body: string): string {
  const file = path.join(tempDir('run-bundle-'), 'app.js');
  fs.writeFileSync(file, body);
  return file;
}

/** Runs the bundle; the cache it would write when the process exits is written by `exit`, if any. */
function run(file: string): { exports: unknown; exit?: () => void } {
  let exit: (() => void) | undefined;
  const once = jest.spyOn(process, 'once').mockImplementation(((event: string, listener: () => void) => {
    if (event === 'exit') {
      exit = listener;
    }
    return process;
  }) as typeof process.once);
  try {
    const exports = runBundle(file);
    return { exports, exit };
  } finally {
    once.mockRestore();
  }
}

/** Runs the bundle and writes the cache it leaves, as a process would at exit. */
function runToExit(file: string): unknown {
  const r = run(file);
  r.exit?.();
  return r.exports;
}

describe('run-bundle, in-process', () => {
  test('GIVEN a bundle WHEN run THEN it gets its file names, is require.main, and its exports are returned', () => {
    const file = bundle("module.exports = { file: __filename, dir: __dirname, main: require.main === module, sep: require('path').sep };");
    expect(runToExit(file)).toEqual({ file, dir: path.dirname(file), main: true, sep: path.sep });
  });

  test('GIVEN no cache WHEN run THEN a cache is written at exit, and a run with it writes none', () => {
    const file = bundle('module.exports = 42;');
    const first = run(file);
    expect(first.exit).toBeDefined();
    first.exit?.();
    expect(fs.statSync(`${file}.v8cache`).size).toBeGreaterThan(0);
    const again = run(file);
    expect(again.exports).toBe(42);
    expect(again.exit).toBeUndefined();
  });

  test('GIVEN garbage as cache THEN the bundle still runs and the cache is written afresh', () => {
    const file = bundle('module.exports = 42;');
    runToExit(file);
    const garbage = Buffer.alloc(fs.statSync(`${file}.v8cache`).size, 7);
    fs.writeFileSync(`${file}.v8cache`, garbage);
    expect(runToExit(file)).toBe(42);
    expect(fs.readFileSync(`${file}.v8cache`).equals(garbage)).toBe(false);
  });

  // Whether V8 rejects it shows only in a new process (the CLI suite): in this one, V8 reuses
  // what it compiled before and does not look at the data.
  test('GIVEN a truncated file as cache THEN the bundle still runs', () => {
    const file = bundle('module.exports = 42;');
    runToExit(file);
    const cache = fs.readFileSync(`${file}.v8cache`);
    fs.writeFileSync(`${file}.v8cache`, cache.subarray(0, Math.floor(cache.length / 2)));
    expect(runToExit(file)).toBe(42);
  });

  test.each([
    ['of another length', "module.exports = 'changed';"],
    // V8 itself checks only the length of the source.
    ['of the same length', "module.exports = 'after!';"],
  ])('GIVEN a cache of an earlier source WHEN the bundle changed to a source %s THEN the new source runs', (_what, changed) => {
    const file = bundle("module.exports = 'before';");
    expect(runToExit(file)).toBe('before');
    fs.writeFileSync(file, changed);
    expect(runToExit(file)).toBe(changed.slice(18, -2));
    expect(runToExit(file)).toBe(changed.slice(18, -2));
  });

  test('GIVEN a shebang line THEN the bundle runs as under node', () => {
    expect(runToExit(bundle('#!/usr/bin/env node\nmodule.exports = 1;\n'))).toBe(1);
  });

  test('GIVEN a bundle that throws THEN the stack trace points at its own line', () => {
    const file = bundle("const a = 1;\n\nthrow new Error('boom ' + a);\n");
    let stack = '';
    try {
      run(file);
    } catch (err) {
      stack = (err as Error).stack ?? '';
    }
    expect(stack).toContain('Error: boom 1');
    expect(stack).toContain(`${file}:3`);
  });
});
