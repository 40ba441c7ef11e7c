#!/usr/bin/env node
// `npm run bench [-- --only NAME …]`: runs every bench/*.bench.ts through tsx, one after another, echoes
// their output, and rewrites the matching "## …" sections of BENCHMARKS.md from what each printed on
// stdout (sections of benchmarks not run this time stay as they were). The header says the command,
// the machine and the date of the last run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');
const target = path.join(root, 'BENCHMARKS.md');

function usage() {
  return 'usage: npm run bench [-- --only NAME [--only NAME …]] [--list] [--no-write]\n  NAME matches bench/NAME.bench.ts (e.g. ratings, ticks, forecast-latency)';
}

function parseArgs(argv) {
  const only = [];
  let list = false;
  let write = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only') {
      const name = argv[++i];
      if (!name) throw new Error(`--only needs a name\n${usage()}`);
      only.push(...name.split(','));
    } else if (arg.startsWith('--only=')) only.push(...arg.slice(7).split(','));
    else if (arg === '--list') list = true;
    else if (arg === '--no-write') write = false;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${usage()}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${usage()}`);
  }
  return { only, list, write };
}

/** Runs one benchmark, echoing its output live; resolves with its stdout and exit code. */
function runBench(file) {
  return new Promise((resolve) => {
    // --no-write: the runner writes every section from stdout itself; a benchmark run on its own writes its own.
    const child = spawn(process.execPath, ['--import', 'tsx', file, '--no-write'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', (error) => resolve({ stdout, code: 1, error }));
    child.on('close', (code, signal) => resolve({ stdout, code: code ?? (signal ? 1 : 0) }));
  });
}

/** "## Title" sections of a markdown text: [{ title, body }] with body including its heading line. */
function sections(text) {
  const found = [];
  const lines = text.split('\n');
  let current;
  for (const line of lines) {
    if (line.startsWith('## ')) {
      current = { title: line.slice(3).trim(), lines: [line] };
      found.push(current);
    } else if (current) current.lines.push(line);
  }
  return found.map((section) => ({ title: section.title, body: `${section.lines.join('\n').trimEnd()}\n` }));
}

function header(command) {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const cores = os.availableParallelism();
  const ram = Math.round(os.totalmem() / 2 ** 30);
  return [
    '# Benchmarks',
    '',
    `Last run: \`${command}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cores} cores (nproc ${cores}), ${cpu}, ${ram} GiB RAM · Node ${process.version}.`,
    'Every section says its own command, date and load; rerun one with `npm run bench -- --only NAME` (NAME as in bench/NAME.bench.ts).',
    'Ratios are measured side by side in the same run on the same machine.',
    '',
  ].join('\n');
}

/** Replaces each section of `updates` in the file (in place), appends new ones, and rewrites the header. */
async function writeSections(updates, command) {
  const existing = existsSync(target) ? await readFile(target, 'utf8') : '';
  const kept = sections(existing);
  for (const update of updates) {
    const index = kept.findIndex((section) => section.title === update.title);
    if (index >= 0) kept[index] = update;
    else kept.push(update);
  }
  await writeFile(target, `${header(command)}\n${kept.map((section) => section.body).join('\n')}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const all = (await readdir(benchDir)).filter((name) => name.endsWith('.bench.ts')).sort();
  const chosen = args.only.length === 0 ? all : all.filter((name) => args.only.some((wanted) => name === `${wanted}.bench.ts` || name === wanted));
  if (args.list) {
    process.stdout.write(`${all.map((name) => name.replace(/\.bench\.ts$/, '')).join('\n')}\n`);
    return;
  }
  const unknown = args.only.filter((wanted) => !all.some((name) => name === `${wanted}.bench.ts` || name === wanted));
  if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(', ')} (have: ${all.map((name) => name.replace(/\.bench\.ts$/, '')).join(', ')})`);

  const command = `npm run bench${args.only.length ? ` -- ${args.only.map((name) => `--only ${name}`).join(' ')}` : ''}`;
  const failed = [];
  const updates = [];
  for (const name of chosen) {
    process.stderr.write(`\n=== ${name} ===\n`);
    const started = Date.now();
    const { stdout, code, error } = await runBench(path.join('bench', name));
    const printed = sections(stdout);
    process.stderr.write(`=== ${name}: exit ${code} after ${((Date.now() - started) / 1000).toFixed(0)} s, ${printed.length} section(s) ===\n`);
    if (error) process.stderr.write(`${error.message}\n`);
    if (code !== 0) failed.push(name);
    // A failed benchmark's partial output is not written over the last good numbers.
    if (code === 0) updates.push(...printed);
  }
  if (args.write && updates.length > 0) {
    await writeSections(updates, command);
    process.stderr.write(`\nBENCHMARKS.md: ${updates.map((section) => `"## ${section.title}"`).join(', ')} updated\n`);
  }
  if (failed.length > 0) {
    process.stderr.write(`failed: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
