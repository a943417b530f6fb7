#!/usr/bin/env node
// Runs the official MCP client conformance suite (@modelcontextprotocol/conformance, `client
// --suite all`) against Switchboard's client: test/conformance/client-adapter.ts, run by the
// suite once per scenario. The suite needs Node 22+, so the package and a Node 22 binary (npm's
// `node-<platform>-<arch>`) are installed on demand into .conformance/ (git-ignored, not in
// package.json: they are large and only this script needs them). Results go to
// test-results/conformance/ (the suite's checks per scenario, summary.json, summary.md) and a
// table to stdout. Exit code 1 when a core or auth scenario fails, or any gives no result; a
// scenario the adapter reports as an unsupported feature fails the run only with --strict.
//
//   node scripts/conformance.mjs [--scenario <name>]… [--strict] [--timeout <ms>]
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
const CONFORMANCE = { name: '@modelcontextprotocol/conformance', version: '0.1.16' }
const NODE = { name: `node-${process.platform}-${process.arch}`, version: '22.23.3' }
// The suite splits this on spaces and appends the server URL. `node` is the Node 22 binary: its
// directory goes first on the suite's PATH, so no path (which may hold spaces) is in the command.
const ADAPTER_COMMAND = 'node --import tsx test/conformance/client-adapter.ts'
// The suite starts every scenario at once; on 2 cores the auth ones (each opens a PGlite
// database) need far more than the suite's default 30 s.
const DEFAULT_TIMEOUT_MS = 180_000
const GATING_GROUPS = new Set(['core', 'auth'])

const { values: options } = parseArgs({
  options: {
    scenario: { type: 'string', multiple: true },
    strict: { type: 'boolean', default: false },
    timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_MS) },
  },
})

const started = performance.now()
const node22 = ensureInstalled()
const conformanceBin = join(CACHE_DIR, 'node_modules', CONFORMANCE.name, 'dist', 'index.js')
const catalog = listScenarios()
const scenarios = options.scenario ?? [...catalog.keys()]
for (const name of scenarios) {
  if (!catalog.has(name)) fail(`unknown scenario ${name}; known: ${[...catalog.keys()].join(', ')}`)
}
rmSync(RESULTS_DIR, { recursive: true, force: true })
mkdirSync(CHECKS_DIR, { recursive: true })
await runSuite(scenarios)
const rows = scenarios.map((name) => resultOf(name, catalog.get(name)))
const seconds = Math.round((performance.now() - started) / 1000)
writeSummary(rows, seconds)
printTable(rows)
const blocking = rows.filter(isBlocking)
console.log(
  `\n${rows.filter((row) => row.result.startsWith('pass')).length}/${rows.length} scenarios ` +
    `passed in ${seconds} s (suite ${CONFORMANCE.version}, Node ${nodeVersion(node22)}); ` +
    `details in ${relative(ROOT, RESULTS_DIR)}/`,
)
if (blocking.length > 0) {
  console.log(`core/auth scenarios failing: ${blocking.map((row) => row.scenario).join(', ')}`)
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

/** Every client scenario the suite knows, with the spec versions it is tagged with. */
function listScenarios() {
  const listed = spawnSync(node22, [conformanceBin, 'list', '--client'], { encoding: 'utf8' })
  if (listed.status !== 0) fail(`the suite could not list its scenarios:\n${listed.stderr}`)
  const catalog = new Map()
  for (const match of listed.stdout.matchAll(/^\s+- (\S+) \[([^\]]*)\]$/gm)) {
    catalog.set(match[1], match[2].split(','))
  }
  if (catalog.size === 0) fail(`no scenarios in the suite's list:\n${listed.stdout}`)
  return catalog
}

/** `client --suite all` (or one `--scenario` run after another); the output goes to suite.log. */
async function runSuite(names) {
  const template = makeDbTemplate()
  try {
    await runConformance(names, {
      ...process.env,
      PATH: `${dirname(node22)}${delimiter}${process.env.PATH ?? ''}`,
      ...(template ? { CONFORMANCE_DB_TEMPLATE: template.file } : {}),
    })
  } finally {
    template?.remove()
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

async function runConformance(names, env) {
  const common = ['--command', ADAPTER_COMMAND, '-o', CHECKS_DIR, '--timeout', options.timeout]
  const runs = options.scenario ? names.map((name) => ['--scenario', name]) : [['--suite', 'all']]
  console.log(
    `running ${names.length} client scenarios against ${ADAPTER_COMMAND.split(' ').at(-1)}` +
      (options.scenario ? '' : ' (all at once: about a minute on 2 cores)'),
  )
  const log = []
  for (const run of runs) {
    const child = spawn(node22, [conformanceBin, 'client', ...run, ...common], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let done = 0
    const collect = (chunk) => {
      const text = chunk.toString('utf8')
      log.push(text)
      for (const match of text.matchAll(/^Results saved to (.+)$/gm)) {
        done += 1
        const scenario = scenarioOfDir(relative(CHECKS_DIR, match[1].trim()))
        console.log(
          `  finished ${scenario}${runs.length === 1 ? ` (${done}/${names.length})` : ''}`,
        )
      }
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    // The suite exits 1 whenever any check fails or warns: the rows below judge instead.
    await new Promise((resolve) => child.on('close', resolve))
  }
  writeFileSync(join(RESULTS_DIR, 'suite.log'), log.join(''))
}

/** What one scenario's checks and the adapter's own output say. */
function resultOf(scenario, specVersions) {
  const group = groupOf(scenario, specVersions)
  const dir = findResultDir(scenario)
  if (!dir) return { scenario, group, specVersions, result: 'missing', note: 'no checks.json' }
  const checks = JSON.parse(readFileSync(join(dir, 'checks.json'), 'utf8'))
  const stdout = readOptional(join(dir, 'stdout.txt'))
  const count = (status) => checks.filter((check) => check.status === status).length
  const failures = checks.filter((check) => check.status === 'FAILURE')
  const warnings = checks.filter((check) => check.status === 'WARNING')
  const unsupported = /^\[switchboard\] UNSUPPORTED: (.*)$/m.exec(stdout)?.[1]
  const adapterError = /^\[switchboard\] FAILED: (.*)$/m.exec(stdout)?.[1]
  let result = 'pass'
  if (failures.length > 0) result = unsupported ? 'unsupported' : 'FAIL'
  else if (count('SUCCESS') === 0)
    result = 'FAIL' // nothing was checked: not a pass
  else if (warnings.length > 0) result = 'pass (warnings)'
  const noted = failures.length > 0 ? failures : warnings
  // The adapter's own error says why far better than the suite's "Expected Check Missing".
  const note = [
    unsupported,
    failures.length > 0 && !unsupported ? adapterError : undefined,
    ...noted.slice(0, 2).map((check) => `${check.id}: ${check.errorMessage || check.description}`),
  ]
    .filter(Boolean)
    .join(' | ')
  return {
    scenario,
    group,
    specVersions,
    result,
    checks: { passed: count('SUCCESS'), failed: failures.length, warnings: warnings.length },
    note,
    dir: relative(ROOT, dir),
  }
}

/**
 * The suite's own grouping (0.1.16): `core` is initialize, tools_call, elicitation, sse-retry
 * plus the `auth` suite (current-spec auth); back-compat (2025-03-26 only), draft and extension
 * scenarios are informational.
 */
function groupOf(scenario, specVersions) {
  if (specVersions.includes('extension')) return 'extension'
  if (specVersions.includes('draft')) return 'draft'
  if (specVersions.every((version) => version === '2025-03-26')) return 'backcompat'
  return scenario.startsWith('auth/') ? 'auth' : 'core'
}

/** No result at all means the run broke, whatever the group. */
function isBlocking(row) {
  if (row.result === 'missing') return true
  if (!GATING_GROUPS.has(row.group)) return false
  return row.result === 'FAIL' || (options.strict && row.result === 'unsupported')
}

/** The suite names a result dir `<scenario>-<ISO time with : and . as ->`; the newest wins. */
function findResultDir(scenario) {
  const parent = join(CHECKS_DIR, dirname(scenario))
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

function writeSummary(rows, seconds) {
  const meta = {
    suite: spec(CONFORMANCE),
    node: nodeVersion(node22),
    command: ADAPTER_COMMAND,
    seconds,
    finishedAt: new Date().toISOString(),
  }
  writeFileSync(
    join(RESULTS_DIR, 'summary.json'),
    `${JSON.stringify({ ...meta, rows }, null, 2)}\n`,
  )
  const cell = (text) => String(text ?? '').replaceAll('|', '\\|')
  const lines = [
    `Suite ${meta.suite}, Node ${meta.node}, ${seconds} s, ${meta.finishedAt}`,
    '',
    '| Scenario | Group | Result | Checks ok/fail/warn | Note |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((row) => {
      const checks = row.checks
        ? `${row.checks.passed}/${row.checks.failed}/${row.checks.warnings}`
        : '—'
      return `| \`${row.scenario}\` | ${row.group} | ${row.result} | ${checks} | ${cell(row.note)} |`
    }),
  ]
  writeFileSync(join(RESULTS_DIR, 'summary.md'), `${lines.join('\n')}\n`)
}

function printTable(rows) {
  const header = ['scenario', 'group', 'result', 'ok/fail/warn', 'note']
  const cells = rows.map((row) => [
    row.scenario,
    row.group,
    isBlocking(row) ? `${row.result} ✗` : row.result,
    row.checks ? `${row.checks.passed}/${row.checks.failed}/${row.checks.warnings}` : '—',
    row.note.length > 110 ? `${row.note.slice(0, 109)}…` : row.note,
  ])
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((c) => c[i].length)))
  const line = (values) =>
    values.map((value, i) => (i === values.length - 1 ? value : value.padEnd(widths[i]))).join('  ')
  console.log(`\n${line(header)}`)
  console.log(line(widths.map((width) => '-'.repeat(width))))
  for (const row of cells) console.log(line(row))
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
