import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { load } from 'js-yaml';
import { Synthesizer } from '../lib';
import { failureReport } from '../lib/synth/synthesizer';

/** The repository: main.ts runs as build/synth.js, and app/ is one level down too. */
const ROOT = path.resolve(__dirname, '..');

/** The committed output, replaced only all or nothing. */
export const DIST = path.join(ROOT, 'dist');

/** Where this repository's output goes, and where `cdk8s synth` expects a copy. */
export interface OutputFolders {
  /** The folder the App is written to. */
  readonly outdir: string;
  /** A folder to copy the written files into afterwards, if any. */
  readonly mirror?: string;
}

/**
 * Decides where the output goes. cdk8s-cli empties its output folder before
 * it runs the app, so cdk8s.yaml names a scratch folder, not dist/: when the
 * CLI runs the app with that folder, the app writes dist/ (all or nothing)
 * and then copies it there for the CLI to list and validate. `--stdout` and
 * `-o DIR` give the app another folder, which it writes directly.
 */
export function outputFolders(env: Readonly<Record<string, string | undefined>>, root = ROOT): OutputFolders {
  const requested = env.CDK8S_OUTDIR;
  if (requested === undefined || requested === '') {
    return { outdir: path.join(root, 'dist') };
  }
  const config = load(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf-8')) as { output?: string };
  const scratch = config.output === undefined ? undefined : path.resolve(root, config.output);
  const outdir = path.resolve(requested);
  return outdir === scratch ? { outdir: path.join(root, 'dist'), mirror: outdir } : { outdir };
}

/**
 * Runs this repository's synth: builds the App, writes it, and reports any
 * problem, also one thrown while the App is built, as a clean report with a
 * failing exit code. `root` is the repository whose dist/ and cdk8s.yaml count
 * (a copy of it in tests, so that they never write the committed dist/).
 */
export function runMain(build: () => App, header: string, root = ROOT): void {
  try {
    const { outdir, mirror } = outputFolders(process.env, root);
    // Keep files: each stack's Namespaces and claims apart, so the stack upgrades with pruning (docs/upgrades.md).
    if (Synthesizer.run(build(), { outdir, header, keepFiles: true }) && mirror !== undefined) {
      fs.rmSync(mirror, { recursive: true, force: true });
      fs.cpSync(outdir, mirror, { recursive: true });
    }
  } catch (err) {
    process.stderr.write(failureReport(err));
    process.exitCode = 1;
  }
}
