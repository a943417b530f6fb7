#!/usr/bin/env node
// Runs the official MCP conformance suite's SERVER scenarios against Switchboard's personal MCP
// endpoint: one real Switchboard (test/conformance/server-target.ts: embedded database in a
// temporary data dir, a user whose MCP server is the fixture the scenarios call,
// test/conformance/fixture-server.ts, an endpoint profile offering it under its own tool names,
// and a token for it), then `conformance server --url <profile endpoint>` once per scenario and
// revision, at that revision's wire, with the suite's frozen requirement set for it (`conformance
// list --server --requirements <revision>`), as scripts/conformance.mjs does for the client.
//
// Scenarios that cannot apply to a gateway are excluded below, each with its reason; they are
// listed in the table but not run. Results go to test-results/conformance/server/ (checks per
// revision and scenario, the suite's log per revision, Switchboard's log, summary.json,
// summary.md) and one table to stdout. Exit code 1 when a required scenario of any revision
// fails (a failed check, or nothing checked) or any scenario gives no result.
//
//   node scripts/conformance-server.mjs [--revision <rev>]… [--scenario <name>]… [--jobs <n>]
//                                       [--timeout <ms>]
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createInterface } from 'node:readline'
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
  requirementSet,
  runPool,
  runSuite,
  spec,
  tableRows,
  writeSummary,
} from './conformance-common.mjs'

const RESULTS_DIR = join(ROOT, 'test-results', 'conformance', 'server')
const CHECKS_DIR = join(RESULTS_DIR, 'checks')
const TARGET = 'test/conformance/server-target.ts'
// Two at a time: the scenarios are short, and Switchboard and its fixture share the 2 cores.
const DEFAULT_JOBS = 2
const DEFAULT_TIMEOUT_MS = 60_000

/**
 * Scenarios that do not apply to Switchboard's endpoint, by revision (`*`: every one it is in),
 * and why. Anything not listed runs, and a required one must pass.
 */
const STATELESS_2025 =
  'the endpoint serves 2025-11-25 clients statelessly (no session, any instance answers any ' +
  'request: GET and DELETE answer 405)'
const NO_PUSH_2025 =
  `${STATELESS_2025}, so it cannot send a request of its own to the client in the middle of ` +
  "a call; a 2025 user answers a server's questions in Switchboard, and 2026-07-28 clients " +
  'get them relayed (input-required-result-*)'
const NO_INPUT_IN_TASKS = {
  revisions: '*',
  reason:
    "not scored; Switchboard's tasks never wait for input (it asks its questions before a call " +
    'starts, and a server question is relayed only on a call that has not become a task), so ' +
    'input_required inside a task (tasks/update with inputResponses) is not offered',
}
const EXCLUDED = {
  'tasks-mrtr-input': NO_INPUT_IN_TASKS,
  'tasks-required-task-error': {
    revisions: '*',
    reason:
      'not scored; a 2026-07-28 tool declares no task support (the server decides per call), so ' +
      'Switchboard cannot know that a server would run a tool only as a task; it refuses with ' +
      '-32021 where a 2025 server declared `taskSupport: required`',
  },
  'tasks-mrtr-composition': NO_INPUT_IN_TASKS,
  'logging-set-level': {
    revisions: '*',
    reason:
      'the endpoint declares no logging capability: it does not relay servers’ log messages ' +
      '(logging is deprecated from 2026-07-28, SEP-2577)',
  },
  'tools-call-with-logging': {
    revisions: '*',
    reason: 'needs logging/setLevel, see logging-set-level',
  },
  'tools-call-sampling': { revisions: '*', reason: NO_PUSH_2025 },
  'tools-call-elicitation': { revisions: '*', reason: NO_PUSH_2025 },
  'elicitation-sep1034-defaults': { revisions: '*', reason: NO_PUSH_2025 },
  'elicitation-sep1330-enums': { revisions: '*', reason: NO_PUSH_2025 },
  'server-sse-multiple-streams': {
    revisions: ['2025-11-25'],
    reason: `needs a session id and its GET streams: ${STATELESS_2025}`,
  },
  'resources-subscribe': {
    revisions: '*',
    reason: `needs a session to push resource updates on: ${STATELESS_2025}; it declares no resources.subscribe`,
  },
  'resources-unsubscribe': { revisions: '*', reason: 'see resources-subscribe' },
  'server-session-lifecycle': {
    revisions: '*',
    reason: `tests 2025 sessions (not scored): ${STATELESS_2025}`,
  },
  'server-sse-polling': {
    revisions: '*',
    reason: `tests 2025 session streams (pending, not scored): ${STATELESS_2025}`,
  },
}

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
if (!Number.isInteger(jobs) || jobs < 1) {
  fail(`--jobs wants a whole number above 0: ${options.jobs}`)
}
const sets = new Map(
  revisions.map((revision) => [revision, requirementSet(node22, revision, 'server')]),
)
const selected = (scenario) => !options.scenario || options.scenario.includes(scenario)
for (const name of options.scenario ?? []) {
  if (![...sets.values()].some((set) => set.has(name))) {
    fail(`no requirement set of ${revisions.join(', ')} runs ${name}`)
  }
}
rmSync(RESULTS_DIR, { recursive: true, force: true })
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
    target: TARGET,
    excluded: EXCLUDED,
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

function exclusionOf(scenario, revision) {
  const excluded = EXCLUDED[scenario]
  if (!excluded) return null
  return excluded.revisions === '*' || excluded.revisions.includes(revision) ? excluded : null
}

/** Starts Switchboard, runs every selected scenario `--jobs` at a time, stops Switchboard. */
async function runAll() {
  const target = await startTarget()
  const runs = revisions.flatMap((revision) =>
    [...sets.get(revision).keys()]
      .filter((scenario) => selected(scenario) && !exclusionOf(scenario, revision))
      .map((scenario) => ({ revision, scenario })),
  )
  console.log(
    `running ${runs.length} server scenarios (${revisions.join(' and ')}) against ${target.url}, ` +
      `${jobs} at a time`,
  )
  const logs = new Map(revisions.map((revision) => [revision, []]))
  try {
    await runPool(
      runs,
      jobs,
      async ({ revision, scenario }) => {
        const args = [
          ...['server', '--url', target.url, '--scenario', scenario],
          ...['--spec-version', revision, '--force'],
          ...['-o', join(CHECKS_DIR, revision), '--timeout', options.timeout],
        ]
        logs.get(revision).push(await runSuite(node22, args))
      },
      ({ revision, scenario }) => `${revision} ${scenario}`,
    )
  } finally {
    await target.stop()
  }
  for (const [revision, log] of logs) {
    writeFileSync(join(RESULTS_DIR, `suite-${revision}.log`), log.join(''))
  }
}

/**
 * Switchboard with the fixture (TARGET), on this Node (the one Switchboard runs on); its log goes
 * to switchboard.log. Resolves once it prints the endpoint's URL.
 */
async function startTarget() {
  const child = spawn(process.execPath, ['--import', 'tsx', TARGET], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stderr.pipe(createWriteStream(join(RESULTS_DIR, 'switchboard.log')))
  const exited = once(child, 'exit')
  const lines = createInterface({ input: child.stdout })
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line),
    exited.then(() => null),
  ])
  if (first === null)
    fail(`${TARGET} exited before it was ready: see ${RESULTS_DIR}/switchboard.log`)
  const { url } = JSON.parse(first)
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

/** What one scenario's checks at one revision say (or why it did not run). */
function resultOf(scenario, revision, kind) {
  const scored = kind === 'required'
  const excluded = exclusionOf(scenario, revision)
  if (excluded) return { scored, result: 'excluded', note: excluded.reason }
  const dir = findResultDir(join(CHECKS_DIR, revision), scenario, 'server-')
  if (!dir) return { scored, result: 'missing', note: 'no checks.json' }
  const { failures, warnings, counts } = readChecks(dir)
  let result = 'pass'
  // Nothing checked is not a pass either.
  if (failures.length > 0 || counts.passed === 0) result = 'FAIL'
  else if (warnings.length > 0) result = 'pass (warnings)'
  const noted = failures.length > 0 ? failures : warnings
  const note = noted
    .slice(0, 2)
    .map((check) => `${check.id}: ${check.errorMessage || check.description}`)
    .join(' | ')
  return { scored, result, checks: counts, note, dir: relative(ROOT, dir) }
}
