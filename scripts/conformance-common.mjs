// What scripts/conformance.mjs (the suite's client scenarios against Switchboard's MCP client)
// and scripts/conformance-server.mjs (its server scenarios against Switchboard's MCP endpoint)
// share: the pinned suite and a Node 22 to run it, installed on demand into .conformance/; the
// requirement sets per revision; running scenarios a few at a time; finding a scenario's checks;
// and the results table, printed and written as summary.md/summary.json.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CACHE_DIR = join(ROOT, '.conformance')
// Pinned: results are only comparable between runs of the same suite.
export const CONFORMANCE = { name: '@modelcontextprotocol/conformance', version: '0.2.0-alpha.12' }
const NODE = { name: `node-${process.platform}-${process.arch}`, version: '22.23.3' }
// The revisions whose requirement sets the suite ships, oldest first.
export const REVISIONS = ['2025-11-25', '2026-07-28']
export const CONFORMANCE_BIN = join(CACHE_DIR, 'node_modules', CONFORMANCE.name, 'dist', 'index.js')

/**
 * The Node 22+ binary to run the suite with (the suite needs it), installing the pinned packages
 * into .conformance/ (git-ignored, not in package.json: they are large and only these scripts
 * need them) when missing.
 */
export function ensureInstalled() {
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
 * The `role` (`client` or `server`) scenarios a revision's requirement set runs, in the suite's
 * order, each mapped to `required` or the reason it runs without scoring (`extension`,
 * `added-after-release`, …), as `conformance list --<role> --requirements <revision>` prints them.
 */
export function requirementSet(node22, revision, role) {
  const listed = spawnSync(
    node22,
    [CONFORMANCE_BIN, 'list', `--${role}`, '--requirements', revision],
    { encoding: 'utf8' },
  )
  if (listed.status !== 0) {
    fail(`the suite could not list ${revision}'s requirements:\n${listed.stderr}`)
  }
  const heading = role === 'client' ? 'Client scenarios' : 'Server scenarios'
  const set = new Map()
  let section = null
  let reason = null
  for (const line of listed.stdout.split('\n')) {
    if (/^\S/.test(line)) {
      section = line.startsWith(heading)
        ? 'required'
        : line.startsWith('Run and reported, but never scored')
          ? 'not scored'
          : null
      continue
    }
    const required = /^ {2}- (\S+)$/.exec(line)
    if (section === 'required' && required) set.set(required[1], 'required')
    const title = /^ {2}(\S.*) \(\d+\):$/.exec(line)
    if (section === 'not scored' && title) reason = title[1]
    const unscored = new RegExp(`^ {4}- (\\S+) \\[${role}\\]$`).exec(line)
    if (section === 'not scored' && unscored) set.set(unscored[1], reason)
  }
  if (![...set.values()].includes('required')) {
    fail(`no required ${role} scenarios in the suite's list for ${revision}:\n${listed.stdout}`)
  }
  return set
}

/** Runs `work(item)` for every item, `jobs` at a time; logs each as it finishes. */
export async function runPool(items, jobs, work, label) {
  let next = 0
  let finished = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]
      await work(item)
      finished += 1
      console.log(`  finished ${label(item)} (${finished}/${items.length})`)
    }
  }
  await Promise.all(Array.from({ length: jobs }, worker))
}

/** Runs the suite with `args`; resolves with its output (stdout and stderr together). */
export async function runSuite(node22, args, options) {
  const child = spawn(node22, [CONFORMANCE_BIN, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  })
  const output = []
  child.stdout.on('data', (chunk) => output.push(chunk))
  child.stderr.on('data', (chunk) => output.push(chunk))
  // The suite exits 1 whenever a check fails or warns: the result rows judge instead.
  await new Promise((resolve) => child.on('close', resolve))
  return Buffer.concat(output).toString('utf8')
}

/**
 * The newest result dir of `scenario` under `outputDir`: the suite names it
 * `[server-]<scenario>-<ISO time with : and . as ->`.
 */
export function findResultDir(outputDir, scenario, prefix = '') {
  const parent = join(outputDir, dirname(scenario))
  if (!existsSync(parent)) return null
  const base = `${prefix}${scenario.split('/').at(-1)}`
  const dirs = readdirSync(parent)
    .filter((name) => name.replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '') === base)
    .filter((name) => existsSync(join(parent, name, 'checks.json')))
    .sort()
  return dirs.length > 0 ? join(parent, dirs.at(-1)) : null
}

/** The checks a scenario's run wrote, counted. */
export function readChecks(dir) {
  const checks = JSON.parse(readFileSync(join(dir, 'checks.json'), 'utf8'))
  const count = (status) => checks.filter((check) => check.status === status).length
  return {
    checks,
    failures: checks.filter((check) => check.status === 'FAILURE'),
    warnings: checks.filter((check) => check.status === 'WARNING'),
    counts: { passed: count('SUCCESS'), failed: count('FAILURE'), warnings: count('WARNING') },
  }
}

/**
 * One row per scenario of `sets` (revision -> scenario -> kind) that `selected` keeps, required
 * ones first, with `resultOf(scenario, revision, kind)` per revision (null where a revision's set
 * does not run it).
 */
export function tableRows(revisions, sets, selected, resultOf) {
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

/**
 * A required scenario that did not pass, or any that gave no result (the run broke). Cells of
 * scenarios excluded on purpose (`excluded`) never block.
 */
export function isBlocking(cell) {
  if (!cell || cell.result === 'excluded') return false
  if (cell.result === 'missing') return true
  return cell.scored && !cell.result.startsWith('pass')
}

function cellText(cell) {
  if (!cell) return '—'
  const checks = cell.checks
    ? ` ${cell.checks.passed}/${cell.checks.failed}/${cell.checks.warnings}`
    : ''
  return `${cell.result}${checks}${isBlocking(cell) ? ' ✗' : ''}`
}

/** The notes of a row: one when the revisions agree, else each with its revision. */
function noteOf(revisions, row) {
  const notes = revisions
    .map((revision) => [revision, row.results[revision]?.note])
    .filter(([, note]) => note)
  if (new Set(notes.map(([, note]) => note)).size <= 1) return notes[0]?.[1] ?? ''
  return notes.map(([revision, note]) => `${revision}: ${note}`).join(' · ')
}

/** summary.json (meta, the sets, the rows) and summary.md (the table) in `resultsDir`. */
export function writeSummary({ resultsDir, revisions, sets, rows, meta }) {
  const requirements = Object.fromEntries(
    revisions.map((revision) => [revision, Object.fromEntries(sets.get(revision))]),
  )
  writeFileSync(
    join(resultsDir, 'summary.json'),
    `${JSON.stringify({ ...meta, requirements, rows }, null, 2)}\n`,
  )
  const cell = (text) => String(text ?? '').replaceAll('|', '\\|')
  const lines = [
    `Suite ${meta.suite}, Node ${meta.node}, ${meta.seconds} s (${meta.jobs} at a time), ${meta.finishedAt}`,
    '',
    "Cells: result, then checks passed/failed/warnings; — : not in that revision's set.",
    '',
    `| Scenario | Set | ${revisions.join(' | ')} | Note |`,
    `| --- | --- |${' --- |'.repeat(revisions.length)} --- |`,
    ...rows.map((row) => {
      const cells = revisions.map((revision) => cellText(row.results[revision]))
      return `| \`${row.scenario}\` | ${row.kind} | ${cells.join(' | ')} | ${cell(noteOf(revisions, row))} |`
    }),
  ]
  writeFileSync(join(resultsDir, 'summary.md'), `${lines.join('\n')}\n`)
}

export function printTable(revisions, rows) {
  const header = ['scenario', 'set', ...revisions, 'note (checks: passed/failed/warnings)']
  const cells = rows.map((row) => {
    const note = noteOf(revisions, row)
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

/** Per revision, how many required scenarios pass; then the time and where the details are. */
export function printTotals({ revisions, rows, seconds, jobs, node22, resultsDir }) {
  console.log('')
  for (const revision of revisions) {
    const cells = rows.map((row) => row.results[revision]).filter(Boolean)
    const excluded = cells.filter((cell) => cell.result === 'excluded')
    const required = cells.filter((cell) => cell.scored && cell.result !== 'excluded')
    const unscored = cells.filter((cell) => !cell.scored && cell.result !== 'excluded')
    const passing = (list) => list.filter((cell) => cell.result.startsWith('pass')).length
    const others = unscored.length
      ? `; ${passing(unscored)}/${unscored.length} run without scoring pass`
      : ''
    const skipped = excluded.length ? `; ${excluded.length} excluded` : ''
    console.log(
      `${revision}: ${passing(required)}/${required.length} required scenarios pass${others}${skipped}`,
    )
  }
  console.log(
    `${seconds} s in all, ${jobs} at a time (suite ${CONFORMANCE.version}, ` +
      `Node ${nodeVersion(node22)}); details in ${relative(ROOT, resultsDir)}/`,
  )
}

export function nodeVersion(bin) {
  return spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '')
}

export function readOptional(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : ''
}

export function spec(pkg) {
  return `${pkg.name}@${pkg.version}`
}

export function fail(message) {
  console.error(`conformance: ${message}`)
  process.exit(1)
}
