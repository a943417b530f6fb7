#!/usr/bin/env node
// Runs the official MCP client conformance suite (@modelcontextprotocol/conformance) against
// Switchboard's client: test/conformance/client-adapter.ts, run by the suite once per scenario.
// Once per protocol revision, with the suite's frozen requirement set for it (`conformance list
// --requirements <revision>`): the scenarios that revision requires, run at its wire (2025-11-25:
// the initialize handshake and a session; 2026-07-28: stateless, `_meta` on every request), plus
// the ones the set runs without scoring (extensions, scenarios added after the release). A
// scenario in both sets runs twice, and passing on one wire says nothing about the other.
//
// The suite needs Node 22+, so the package and a Node 22 binary (npm's `node-<platform>-<arch>`)
// are installed on demand into .conformance/ (git-ignored, not in package.json: they are large and
// only this script needs them). Results go to test-results/conformance/ (the suite's checks per
// revision and scenario, its log per revision, summary.json, summary.md) and one table to stdout,
// a column per revision. Exit code 1 when a required scenario of any revision fails (a failed
// check, or nothing checked) or any scenario gives no result; scenarios run without scoring never
// fail the run.
//
//   node scripts/conformance.mjs [--revision <rev>]… [--scenario <name>]… [--jobs <n>]
//                                [--timeout <ms>]
import { spawn, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CACHE_DIR = join(ROOT, '.conformance')
const RESULTS_DIR = join(ROOT, 'test-results', 'conformance')
const CHECKS_DIR = join(RESULTS_DIR, 'checks')
// Pinned: results are only comparable between runs of the same suite.
const CONFORMANCE = { name: '@modelcontextprotocol/conformance', version: '0.2.0-alpha.12' }
const NODE = { name: `node-${process.platform}-${process.arch}`, version: '22.23.3' }
// The revisions whose requirement sets the suite ships, oldest first.
const REVISIONS = ['2025-11-25', '2026-07-28']
// The suite splits this on spaces and appends the server URL. `node` is the Node 22 binary: its
// directory goes first on the suite's PATH, so no path (which may hold spaces) is in the command.
const ADAPTER_COMMAND = 'node --import tsx test/conformance/client-adapter.ts'
// Scenarios run at once (see `runAll`), and the limit per scenario: on a loaded machine an auth
// one (the app stack and a PGlite database) can take far more than the suite's default 30 s.
const DEFAULT_JOBS = 4
const DEFAULT_TIMEOUT_MS = 180_000

const { values: options } = parseArgs({
  options: {
    revision: { type: 'string', multiple: true },
    scenario: { type: 'string', multiple: true },
    jobs: { type: 'string', default: String(DEFAULT_JOBS) },
    timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_MS) },
  },
})

const started = performance.now()
const node22 = ensureInstalled()
const conformanceBin = join(CACHE_DIR, 'node_modules', CONFORMANCE.name, 'dist', 'index.js')
const revisions = options.revision ?? REVISIONS
for (const revision of revisions) {
  if (!REVISIONS.includes(revision)) fail(`unknown revision ${revision}; known: ${REVISIONS}`)
}
const jobs = Number(options.jobs)
if (!Number.isInteger(jobs) || jobs < 1)
  fail(`--jobs wants a whole number above 0: ${options.jobs}`)
const sets = new Map(revisions.map((revision) => [revision, requirementSet(revision)]))
const selected = (scenario) => !options.scenario || options.scenario.includes(scenario)
for (const name of options.scenario ?? []) {
  if (![...sets.values()].some((set) => set.has(name))) {
    fail(`no requirement set of ${revisions.join(', ')} runs ${name}`)
  }
}
rmSync(RESULTS_DIR, { recursive: true, force: true })
mkdirSync(CHECKS_DIR, { recursive: true })
await runAll()
const rows = tableRows()
const seconds = Math.round((performance.now() - started) / 1000)
writeSummary(seconds)
printTable()
printTotals(seconds)
const blocking = rows.flatMap((row) =>
  revisions
    .filter((revision) => isBlocking(row.results[revision]))
    .map((revision) => `${revision} ${row.scenario}`),
)
if (blocking.length > 0) {
  console.log(`required scenarios failing: ${blocking.join(', ')}`)
  process.exit(1)
}

/** The Node 22+ binary to run the suite with, installing the pinned packages when missing. */
function ensureInstalled() {
  const current = Number(process.versions.node.split('.')[0]) >= 22
  const nodeBin = current
    ? process.execPath
    : join(CACHE_DIR, 'node_modules', NODE.name, 'bin', 'node')
  const wanted = [CONFORMANCE, ...(current ? [] : [NODE])]
  const missing = wanted.filter((pkg) => installedVersion(pkg.name) !== pkg.version)
  if (missing.length > 0) {
    console.log(`installing ${wanted.map(spec).join(' and ')} into ${relative(ROOT, CACHE_DIR)}/…`)
    mkdirSync(CACHE_DIR, { recursive: true })
    // Everything at once: with --no-save and no package.json, npm prunes what it is not asked for.
    const npm = spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        CACHE_DIR,
        '--no-save',
        '--no-package-lock',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...wanted.map(spec),
      ],
      { stdio: 'inherit' },
    )
    if (npm.status !== 0) fail(`npm install of ${missing.map(spec).join(' and ')} failed`)
  }
  if (!existsSync(nodeBin)) fail(`no Node binary at ${nodeBin}`)
  return nodeBin
}

function installedVersion(name) {
  const manifest = join(CACHE_DIR, 'node_modules', name, 'package.json')
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : null
}

/**
 * The client scenarios a revision's requirement set runs, in the suite's order, each mapped to
 * `required` or the reason it runs without scoring (`extension`, `added-after-release`, …), as
 * `conformance list --requirements <revision>` prints them.
 */
function requirementSet(revision) {
  const listed = spawnSync(
    node22,
    [conformanceBin, 'list', '--client', '--requirements', revision],
    {
      encoding: 'utf8',
    },
  )
  if (listed.status !== 0)
    fail(`the suite could not list ${revision}'s requirements:\n${listed.stderr}`)
  const set = new Map()
  let section = null
  let reason = null
  for (const line of listed.stdout.split('\n')) {
    if (/^\S/.test(line)) {
      section = line.startsWith('Client scenarios')
        ? 'required'
        : line.startsWith('Run and reported, but never scored')
          ? 'not scored'
          : null
      continue
    }
    const required = /^ {2}- (\S+)$/.exec(line)
    if (section === 'required' && required) set.set(required[1], 'required')
    const heading = /^ {2}(\S.*) \(\d+\):$/.exec(line)
    if (section === 'not scored' && heading) reason = heading[1]
    const unscored = /^ {4}- (\S+) \[client\]$/.exec(line)
    if (section === 'not scored' && unscored) set.set(unscored[1], reason)
  }
  if (![...set.values()].includes('required')) {
    fail(`no required client scenarios in the suite's list for ${revision}:\n${listed.stdout}`)
  }
  return set
}

/**
 * Every scenario of every revision's set (or only those named with --scenario), `--jobs` at a
 * time, each in its own suite process: `client --scenario <name> --spec-version <revision>
 * --force`, which is what `client --requirements <revision>` runs for each scenario of the set
 * (the set decides what belongs to it, hence `--force`). The suite's own `--requirements` starts
 * all of a set at once: on 2 cores both revisions took 234 s that way, against 146 s four at a
 * time (measured 2026-12-06), and the more run at once the later sse-retry's reconnection comes.
 * The suite's output goes to suite-<revision>.log.
 */
async function runAll() {
  const template = makeDbTemplate()
  const env = {
    ...process.env,
    PATH: `${dirname(node22)}${delimiter}${process.env.PATH ?? ''}`,
    ...(template ? { CONFORMANCE_DB_TEMPLATE: template.file } : {}),
  }
  const runs = revisions.flatMap((revision) =>
    [...sets.get(revision).keys()].filter(selected).map((scenario) => ({ revision, scenario })),
  )
  console.log(
    `running ${runs.length} client scenarios (${revisions.join(' and ')}) against ` +
      `${ADAPTER_COMMAND.split(' ').at(-1)}, ${jobs} at a time`,
  )
  const logs = new Map(revisions.map((revision) => [revision, []]))
  let next = 0
  let finished = 0
  const worker = async () => {
    while (next < runs.length) {
      const { revision, scenario } = runs[next++]
      logs.get(revision).push(await runScenario(revision, scenario, env))
      finished += 1
      console.log(`  finished ${revision} ${scenario} (${finished}/${runs.length})`)
    }
  }
  try {
    await Promise.all(Array.from({ length: jobs }, worker))
  } finally {
    template?.remove()
  }
  for (const [revision, log] of logs) {
    writeFileSync(join(RESULTS_DIR, `suite-${revision}.log`), log.join(''))
  }
}

/**
 * One migrated PGlite database for the auth scenarios to copy (test/conformance/db-template.ts);
 * none with TEST_DATABASE_URL, where each scenario gets its own PostgreSQL database instead.
 */
function makeDbTemplate() {
  if (process.env.TEST_DATABASE_URL) return null
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-conformance-'))
  const file = join(dir, 'pgdata.tar')
  const made = spawnSync(node22, ['--import', 'tsx', 'test/conformance/db-template.ts', file], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (made.status !== 0) fail('could not prepare the database template')
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** One scenario at one revision's wire; resolves with the suite's output. */
async function runScenario(revision, scenario, env) {
  const args = [
    ...['client', '--scenario', scenario, '--spec-version', revision, '--force'],
    ...['--command', ADAPTER_COMMAND, '-o', join(CHECKS_DIR, revision)],
    ...['--timeout', options.timeout],
  ]
  const child = spawn(node22, [conformanceBin, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = []
  child.stdout.on('data', (chunk) => output.push(chunk))
  child.stderr.on('data', (chunk) => output.push(chunk))
  // The suite exits 1 whenever a check fails or warns: the rows below judge instead.
  await new Promise((resolve) => child.on('close', resolve))
  return Buffer.concat(output).toString('utf8')
}

/** One row per scenario that ran, required ones first, with a result per revision. */
function tableRows() {
  const byKind = (required) =>
    [...sets.values()].flatMap((set) =>
      [...set].filter(([name, kind]) => selected(name) && (kind === 'required') === required),
    )
  const names = [...new Set([...byKind(true), ...byKind(false)].map(([name]) => name))]
  return names.map((scenario) => {
    const kinds = new Set(revisions.flatMap((revision) => sets.get(revision).get(scenario) ?? []))
    const results = Object.fromEntries(
      revisions.map((revision) => {
        const kind = sets.get(revision).get(scenario)
        return [revision, kind ? resultOf(scenario, revision, kind) : null]
      }),
    )
    return { scenario, kind: [...kinds].join(' / '), results }
  })
}

/** What one scenario's checks at one revision and the adapter's own output say. */
function resultOf(scenario, revision, kind) {
  const scored = kind === 'required'
  const dir = findResultDir(join(CHECKS_DIR, revision), scenario)
  if (!dir) return { scored, result: 'missing', note: 'no checks.json' }
  const checks = JSON.parse(readFileSync(join(dir, 'checks.json'), 'utf8'))
  const stdout = readOptional(join(dir, 'stdout.txt'))
  const count = (status) => checks.filter((check) => check.status === status).length
  const failures = checks.filter((check) => check.status === 'FAILURE')
  const warnings = checks.filter((check) => check.status === 'WARNING')
  const unsupported = /^\[switchboard\] UNSUPPORTED: (.*)$/m.exec(stdout)?.[1]
  const adapterError = /^\[switchboard\] FAILED: (.*)$/m.exec(stdout)?.[1]
  let result = 'pass'
  // Nothing checked is not a pass either.
  if (failures.length > 0 || count('SUCCESS') === 0) result = unsupported ? 'unsupported' : 'FAIL'
  else if (warnings.length > 0) result = 'pass (warnings)'
  const noted = failures.length > 0 ? failures : warnings
  // The adapter's own error says why far better than the suite's "Expected Check Missing".
  const note = [
    unsupported,
    unsupported ? undefined : adapterError,
    ...noted.slice(0, 2).map((check) => `${check.id}: ${check.errorMessage || check.description}`),
  ]
    .filter(Boolean)
    .join(' | ')
  return {
    scored,
    result,
    checks: { passed: count('SUCCESS'), failed: failures.length, warnings: warnings.length },
    note,
    dir: relative(ROOT, dir),
  }
}

/** A required scenario that did not pass, or any that gave no result (the run broke). */
function isBlocking(cell) {
  if (!cell) return false
  if (cell.result === 'missing') return true
  return cell.scored && !cell.result.startsWith('pass')
}

/** The suite names a result dir `<scenario>-<ISO time with : and . as ->`; the newest wins. */
function findResultDir(outputDir, scenario) {
  const parent = join(outputDir, dirname(scenario))
  if (!existsSync(parent)) return null
  const base = scenario.split('/').at(-1)
  const dirs = readdirSync(parent)
    .filter((name) => scenarioOfDir(name) === base)
    .filter((name) => existsSync(join(parent, name, 'checks.json')))
    .sort()
  return dirs.length > 0 ? join(parent, dirs.at(-1)) : null
}

function scenarioOfDir(dir) {
  return dir.replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '')
}

function cellText(cell) {
  if (!cell) return '—'
  const checks = cell.checks
    ? ` ${cell.checks.passed}/${cell.checks.failed}/${cell.checks.warnings}`
    : ''
  return `${cell.result}${checks}${isBlocking(cell) ? ' ✗' : ''}`
}

/** The notes of a row: one when the revisions agree, else each with its revision. */
function noteOf(row) {
  const notes = revisions
    .map((revision) => [revision, row.results[revision]?.note])
    .filter(([, note]) => note)
  if (new Set(notes.map(([, note]) => note)).size <= 1) return notes[0]?.[1] ?? ''
  return notes.map(([revision, note]) => `${revision}: ${note}`).join(' · ')
}

function writeSummary(seconds) {
  const meta = {
    suite: spec(CONFORMANCE),
    node: nodeVersion(node22),
    command: ADAPTER_COMMAND,
    jobs,
    seconds,
    finishedAt: new Date().toISOString(),
  }
  // Per revision, every scenario its set runs: `required`, or why it is not scored.
  const requirements = Object.fromEntries(
    revisions.map((revision) => [revision, Object.fromEntries(sets.get(revision))]),
  )
  writeFileSync(
    join(RESULTS_DIR, 'summary.json'),
    `${JSON.stringify({ ...meta, requirements, rows }, null, 2)}\n`,
  )
  const cell = (text) => String(text ?? '').replaceAll('|', '\\|')
  const lines = [
    `Suite ${meta.suite}, Node ${meta.node}, ${seconds} s (${jobs} at a time), ${meta.finishedAt}`,
    '',
    "Cells: result, then checks passed/failed/warnings; — : not in that revision's set.",
    '',
    `| Scenario | Set | ${revisions.join(' | ')} | Note |`,
    `| --- | --- |${' --- |'.repeat(revisions.length)} --- |`,
    ...rows.map((row) => {
      const cells = revisions.map((revision) => cellText(row.results[revision]))
      return `| \`${row.scenario}\` | ${row.kind} | ${cells.join(' | ')} | ${cell(noteOf(row))} |`
    }),
  ]
  writeFileSync(join(RESULTS_DIR, 'summary.md'), `${lines.join('\n')}\n`)
}

function printTable() {
  const header = ['scenario', 'set', ...revisions, 'note (checks: passed/failed/warnings)']
  const cells = rows.map((row) => {
    const note = noteOf(row)
    return [
      row.scenario,
      row.kind,
      ...revisions.map((revision) => cellText(row.results[revision])),
      note.length > 110 ? `${note.slice(0, 109)}…` : note,
    ]
  })
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((c) => c[i].length)))
  const line = (values) =>
    values.map((value, i) => (i === values.length - 1 ? value : value.padEnd(widths[i]))).join('  ')
  console.log(`\n${line(header)}`)
  console.log(line(widths.map((width) => '-'.repeat(width))))
  for (const row of cells) console.log(line(row))
}

function printTotals(seconds) {
  console.log('')
  for (const revision of revisions) {
    const cells = rows.map((row) => row.results[revision]).filter(Boolean)
    const required = cells.filter((cell) => cell.scored)
    const unscored = cells.filter((cell) => !cell.scored)
    const passing = (list) => list.filter((cell) => cell.result.startsWith('pass')).length
    const others = unscored.length
      ? `; ${passing(unscored)}/${unscored.length} run without scoring pass`
      : ''
    console.log(
      `${revision}: ${passing(required)}/${required.length} required scenarios pass${others}`,
    )
  }
  console.log(
    `${seconds} s in all, ${jobs} at a time (suite ${CONFORMANCE.version}, ` +
      `Node ${nodeVersion(node22)}); ` +
      `details in ${relative(ROOT, RESULTS_DIR)}/`,
  )
}

function nodeVersion(bin) {
  return spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '')
}

function readOptional(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : ''
}

function spec(pkg) {
  return `${pkg.name}@${pkg.version}`
}

function fail(message) {
  console.error(`conformance: ${message}`)
  process.exit(1)
}
