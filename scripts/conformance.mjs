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
// are installed on demand into .conformance/ (conformance-common.mjs, shared with
// conformance-server.mjs). Results go to test-results/conformance/ (the suite's checks per
// revision and scenario, its log per revision, summary.json, summary.md) and one table to stdout,
// a column per revision. Exit code 1 when a required scenario of any revision fails (a failed
// check, or nothing checked) or any scenario gives no result; scenarios run without scoring never
// fail the run.
//
//   node scripts/conformance.mjs [--revision <rev>]… [--scenario <name>]… [--jobs <n>]
//                                [--timeout <ms>]
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import {
  CONFORMANCE,
  ensureInstalled,
  fail,
  findResultDir,
  isBlocking,
  nodeVersion,
  printTable,
  printTotals,
  REVISIONS,
  ROOT,
  readChecks,
  readOptional,
  requirementSet,
  runPool,
  runSuite,
  spec,
  tableRows,
  writeSummary,
} from './conformance-common.mjs'

const RESULTS_DIR = join(ROOT, 'test-results', 'conformance')
const CHECKS_DIR = join(RESULTS_DIR, 'checks')
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
const revisions = options.revision ?? REVISIONS
for (const revision of revisions) {
  if (!REVISIONS.includes(revision)) fail(`unknown revision ${revision}; known: ${REVISIONS}`)
}
const jobs = Number(options.jobs)
if (!Number.isInteger(jobs) || jobs < 1)
  fail(`--jobs wants a whole number above 0: ${options.jobs}`)
const sets = new Map(
  revisions.map((revision) => [revision, requirementSet(node22, revision, 'client')]),
)
const selected = (scenario) => !options.scenario || options.scenario.includes(scenario)
for (const name of options.scenario ?? []) {
  if (![...sets.values()].some((set) => set.has(name))) {
    fail(`no requirement set of ${revisions.join(', ')} runs ${name}`)
  }
}
// Only this script's own results: the server scenarios' (server/) stay.
for (const name of [
  'checks',
  'summary.json',
  'summary.md',
  ...REVISIONS.map((r) => `suite-${r}.log`),
]) {
  rmSync(join(RESULTS_DIR, name), { recursive: true, force: true })
}
mkdirSync(CHECKS_DIR, { recursive: true })
await runAll()
const rows = tableRows(revisions, sets, selected, resultOf)
const seconds = Math.round((performance.now() - started) / 1000)
writeSummary({
  resultsDir: RESULTS_DIR,
  revisions,
  sets,
  rows,
  meta: {
    suite: spec(CONFORMANCE),
    node: nodeVersion(node22),
    command: ADAPTER_COMMAND,
    jobs,
    seconds,
    finishedAt: new Date().toISOString(),
  },
})
printTable(revisions, rows)
printTotals({ revisions, rows, seconds, jobs, node22, resultsDir: RESULTS_DIR })
const blocking = rows.flatMap((row) =>
  revisions
    .filter((revision) => isBlocking(row.results[revision]))
    .map((revision) => `${revision} ${row.scenario}`),
)
if (blocking.length > 0) {
  console.log(`required scenarios failing: ${blocking.join(', ')}`)
  process.exit(1)
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
  try {
    await runPool(
      runs,
      jobs,
      async ({ revision, scenario }) => {
        const args = [
          ...['client', '--scenario', scenario, '--spec-version', revision, '--force'],
          ...['--command', ADAPTER_COMMAND, '-o', join(CHECKS_DIR, revision)],
          ...['--timeout', options.timeout],
        ]
        logs.get(revision).push(await runSuite(node22, args, { env }))
      },
      ({ revision, scenario }) => `${revision} ${scenario}`,
    )
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

/** What one scenario's checks at one revision and the adapter's own output say. */
function resultOf(scenario, revision, kind) {
  const scored = kind === 'required'
  const dir = findResultDir(join(CHECKS_DIR, revision), scenario)
  if (!dir) return { scored, result: 'missing', note: 'no checks.json' }
  const { failures, warnings, counts } = readChecks(dir)
  const stdout = readOptional(join(dir, 'stdout.txt'))
  const unsupported = /^\[switchboard\] UNSUPPORTED: (.*)$/m.exec(stdout)?.[1]
  const adapterError = /^\[switchboard\] FAILED: (.*)$/m.exec(stdout)?.[1]
  let result = 'pass'
  // Nothing checked is not a pass either.
  if (failures.length > 0 || counts.passed === 0) result = unsupported ? 'unsupported' : 'FAIL'
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
  return { scored, result, checks: counts, note, dir: relative(ROOT, dir) }
}
