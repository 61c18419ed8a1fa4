#!/usr/bin/env node
// Security scan of the synthesized manifests with checkov (Kubernetes checks).
//
//   node scripts/security-scan.js                 scan dist/, fail on any failed check not skipped
//   node scripts/security-scan.js --compare DIR   also scan DIR as it is (no skips) and print
//                                                 a Markdown table of both, for docs/testing.md
//
// checkov comes from PyPI (CI installs it, see .ci/run); set CHECKOV to its
// path if it is not on PATH. Skips live in security-scan-skips.yaml only, each
// for named objects and with its reason; an entry that no longer matches a
// failed check is an error too, so the file cannot go stale.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { Yaml } = require('cdk8s');

const ROOT = path.resolve(__dirname, '..');
const SKIPS_FILE = path.join(ROOT, 'security-scan-skips.yaml');
const CHECKOV = process.env.CHECKOV || 'checkov';
const MANIFEST = /\.(ya?ml|json)$/;

function usage(message) {
  process.stderr.write(`${message}\nusage: node scripts/security-scan.js [--dir DIR] [--compare DIR]...\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = { dir: path.join(ROOT, 'dist'), compare: [] };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--dir' && value) {
      args.dir = path.resolve(value);
      i++;
    } else if (argv[i] === '--compare' && value) {
      args.compare.push(path.resolve(value));
      i++;
    } else {
      usage(`unknown argument: ${argv[i]}`);
    }
  }
  return args;
}

/** Every manifest file under dir, relative to it, sorted. */
function manifestFiles(dir, prefix = '') {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap(e => {
    const rel = path.join(prefix, e.name);
    return e.isDirectory() ? manifestFiles(dir, rel) : MANIFEST.test(e.name) ? [rel] : [];
  }).sort();
}

/** Runs checkov over dir; returns its checks with paths relative to dir. */
function checkov(dir) {
  const started = Date.now();
  // Run inside dir so that checkov reports paths relative to it.
  const run = spawnSync(CHECKOV, ['--directory', '.', '--framework', 'kubernetes', '--output', 'json', '--skip-download', '--soft-fail'], {
    cwd: dir, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'WARNING' },
  });
  if (run.error && run.error.code === 'ENOENT') {
    usage(`checkov not found (tried "${CHECKOV}"). Install it from PyPI, e.g.\n`
      + '  python3 -m venv /tmp/checkov && /tmp/checkov/bin/pip install checkov==3.3.30\n'
      + 'and run with CHECKOV=/tmp/checkov/bin/checkov');
  }
  if (run.error || run.status !== 0) {
    throw new Error(`checkov failed on ${dir}: ${run.error || run.stderr}`);
  }
  const parsed = JSON.parse(run.stdout);
  const reports = (Array.isArray(parsed) ? parsed : [parsed]).filter(r => r.check_type === 'kubernetes');
  const checks = [];
  let parsingErrors = 0;
  let version = '?';
  for (const report of reports) {
    parsingErrors += report.summary.parsing_errors;
    version = report.summary.checkov_version;
    for (const [result, list] of [['passed', report.results.passed_checks], ['failed', report.results.failed_checks]]) {
      for (const c of list) {
        const [kind, namespace, name] = c.resource.split('.');
        checks.push({
          result, id: c.check_id, title: c.check_name, resource: c.resource, kind, namespace, name,
          file: c.file_path.replace(/^\/+/, ''), lines: c.file_line_range,
        });
      }
    }
  }
  return { checks, parsingErrors, version, seconds: (Date.now() - started) / 1000 };
}

function loadSkips() {
  const [doc] = Yaml.load(SKIPS_FILE);
  const skips = (doc && doc.skips) || [];
  for (const s of skips) {
    if (!/^CKV2?_K8S_\d+$/.test(s.check || '') || !Array.isArray(s.objects) || s.objects.length === 0 || !String(s.reason || '').trim()) {
      throw new Error(`${path.relative(ROOT, SKIPS_FILE)}: every skip needs check (CKV_K8S_n), objects (["Kind/name", ...]) and reason; got ${JSON.stringify(s)}`);
    }
  }
  return skips;
}

/** `Kind/name` with * as a wildcard, matched against a checkov resource (any namespace). */
function matches(pattern, check) {
  const re = new RegExp(`^${pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  return re.test(`${check.kind}/${check.name}`);
}

/** Passed, failed and skipped counts per manifest file, and the object count of each. */
function tally(dir, scan, skips) {
  const rows = new Map(manifestFiles(dir).map(f => [f, {
    file: f, objects: Yaml.load(path.join(dir, f)).filter(d => d !== null && d !== undefined).length, passed: 0, failed: 0, skipped: 0,
  }]));
  const unskipped = [];
  const used = new Set();
  for (const c of scan.checks) {
    const row = rows.get(c.file);
    if (!row) {
      throw new Error(`checkov reported a file that is not a manifest under ${dir}: ${c.file}`);
    }
    if (c.result === 'passed') {
      row.passed++;
      continue;
    }
    const skip = skips.flatMap(s => s.objects.filter(o => s.check === c.id && matches(o, c)).map(o => `${s.check} ${o}`))[0];
    if (skip) {
      row.skipped++;
      used.add(skip);
    } else {
      row.failed++;
      unskipped.push(c);
    }
  }
  const stale = skips.flatMap(s => s.objects.map(o => `${s.check} ${o}`)).filter(k => !used.has(k));
  return { rows: [...rows.values()], unskipped, stale };
}

function total(rows) {
  return rows.reduce((t, r) => ({ objects: t.objects + r.objects, passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }),
    { objects: 0, passed: 0, failed: 0, skipped: 0 });
}

function printTable(title, rows) {
  const all = [...rows, { file: 'total', ...total(rows) }];
  const width = Math.max(...all.map(r => r.file.length), 4);
  process.stdout.write(`\n${title}\n${'file'.padEnd(width)}  objects  passed  failed  skipped\n`);
  for (const r of all) {
    process.stdout.write(`${r.file.padEnd(width)}  ${String(r.objects).padStart(7)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}\n`);
  }
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const skips = loadSkips();
  const rel = p => path.relative(ROOT, p) || '.';
  if (!fs.existsSync(args.dir) || manifestFiles(args.dir).length === 0) {
    usage(`no manifests under ${rel(args.dir)}: run "npm run synth" first`);
  }
  const scan = checkov(args.dir);
  const ours = tally(args.dir, scan, skips);
  process.stdout.write(`checkov ${scan.version}, Kubernetes checks, ${rel(args.dir)}/ scanned in ${scan.seconds.toFixed(1)} s; skips from ${rel(SKIPS_FILE)}`);
  printTable(`${rel(args.dir)}/ (failed = failed and not skipped)`, ours.rows);

  const markdown = [];
  if (args.compare.length > 0) {
    markdown.push('| Manifests | Objects | Checks passed | Checks failed | Failed checks skipped, with reasons in `security-scan-skips.yaml` |', '|---|--:|--:|--:|--:|');
    for (const dir of args.compare) {
      const other = checkov(dir);
      const theirs = tally(dir, other, []);
      printTable(`${rel(dir)}/ as it is (no skips), scanned in ${other.seconds.toFixed(1)} s`, theirs.rows);
      const t = total(theirs.rows);
      markdown.push(`| ${path.basename(dir)}/ (${theirs.rows.length} files) | ${t.objects} | ${t.passed} | ${t.failed} | none |`);
    }
    const row = (label, r) => `| ${label} | ${r.objects} | ${r.passed} | ${r.failed} | ${r.skipped} |`;
    markdown.push(...ours.rows.map(r => row(`${rel(args.dir)}/${r.file}`, r)), row(`${rel(args.dir)}/ total`, total(ours.rows)));
    process.stdout.write(`\n${markdown.join('\n')}\n`);
  }

  const problems = [];
  if (scan.parsingErrors > 0) {
    problems.push(`checkov could not parse ${scan.parsingErrors} file(s)`);
  }
  if (scan.checks.length === 0) {
    problems.push('checkov ran no check');
  }
  for (const c of ours.unskipped) {
    problems.push(`${c.id} ${c.title}: ${c.kind} ${c.namespace}/${c.name} (${rel(args.dir)}/${c.file}:${c.lines.join('-')})`);
  }
  for (const s of ours.stale) {
    problems.push(`skip "${s}" matches no failed check any more: remove it from ${rel(SKIPS_FILE)}`);
  }
  if (problems.length > 0) {
    process.stdout.write(`\nsecurity scan FAILED (${problems.length}):\n${problems.map(p => `  ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  const t = total(ours.rows);
  process.stdout.write(`\nsecurity scan passed: ${t.passed} checks passed, 0 failed, ${t.skipped} skipped as listed\n`);
}

main();
