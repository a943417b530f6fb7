/**
 * Health checks at fleet scale, simulated (issue 13): one fixture process (this one) serves a
 * few thousand distinct MCP servers by host and path (test/fixtures/mcp/many-servers.ts); users,
 * their servers and their activity are written in bulk into a fresh PostgreSQL database; 1 and
 * then 2 real Switchboard instances (`bin/switchboard.js serve`, PostgreSQL + Redis) run with a
 * compressed interval. After a warm-up it counts, per server and interval, the checks (pings)
 * and `initialize` requests the fleet sent, how late checks came (the largest gap between two
 * pings of a server), how many servers ended up online, and each instance's memory.
 *
 *   npm run bench:health -- [--servers 1000] [--per-user 5] [--interval 5000] [--duration 60000]
 *                           [--instances 1,2] [--origins many,one] [--app <checkout dir>]
 *
 * `--app` runs another checkout's Switchboard (e.g. the code before this change) on the same
 * fixture, for a baseline measured the same way. Writes bench/results/health-checks-<date>.json.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { startManyServers } from '../test/fixtures/mcp/many-servers.ts'
import { createDatabase, profileArgs, startChild, stopChild } from './lib.ts'

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '1000' },
    'per-user': { type: 'string', default: '5' },
    interval: { type: 'string', default: '5000' },
    duration: { type: 'string', default: '60000' },
    warmup: { type: 'string', default: '3' },
    instances: { type: 'string', default: '1,2' },
    origins: { type: 'string', default: 'many,one' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    'max-sessions': { type: 'string', default: '2000' },
    app: { type: 'string' },
    label: { type: 'string', default: 'current' },
  },
})
const SERVERS = Number(values.servers)
const PER_USER = Number(values['per-user'])
const INTERVAL = Number(values.interval)
const DURATION = Number(values.duration)
const WARMUP_INTERVALS = Number(values.warmup)
const root = new URL('..', import.meta.url).pathname
const appDir = values.app ?? root

interface RunResult {
  label: string
  instances: number
  origins: 'many' | 'one'
  servers: number
  intervals: number
  perServerPerInterval: { checks: number; initialize: number; discover: number; toolsList: number }
  /** Servers whose largest gap between two checks stayed within 1.5 intervals. */
  checkedInTime: number
  /** Largest gap between two checks of one server, in intervals (p50, p99, max). */
  gapIntervals: { p50: number; p99: number; max: number }
  neverChecked: number
  online: number
  openEventStreams: number
  instanceRssMb: Array<{ max: number; end: number }>
}

const fleet = await startManyServers()
const results: RunResult[] = []
try {
  for (const origins of values.origins.split(',') as Array<'many' | 'one'>) {
    for (const instances of values.instances.split(',').map(Number)) {
      const result = await run(instances, origins)
      results.push(result)
      print(result)
    }
  }
} finally {
  await fleet.close()
}
const date = new Date().toISOString().slice(0, 10)
const file = join(root, `bench/results/health-checks-${values.label}-${date}.json`)
const settings = { servers: SERVERS, perUser: PER_USER, intervalMs: INTERVAL, durationMs: DURATION }
writeFileSync(file, `${JSON.stringify({ settings, results }, null, 2)}\n`)
console.log(`wrote ${file}`)

async function run(instances: number, origins: 'many' | 'one'): Promise<RunResult> {
  const database = await createDatabase(values.postgres, 'health')
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-health-'))
  const configFile = join(dataDir, 'switchboard.yaml')
  writeFileSync(
    configFile,
    [
      'allowPrivateNetworks: ["127.0.0.0/8"]',
      `mcp: { healthCheckIntervalMs: ${INTERVAL}, maxSessions: ${values['max-sessions']} }`,
      'log: { level: warn }',
      '',
    ].join('\n'),
  )
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: values.redis,
    METRICS_ENABLED: 'true',
    // One key for all instances, as a real fleet has (no secrets are stored here anyway).
    SWITCHBOARD_SECRET_KEY: Buffer.from('health-check-bench-secret-key-32').toString('base64'),
  }
  const apps: Array<{ child: import('node:child_process').ChildProcess; base: string }> = []
  const rss: number[][] = []
  let sampler: NodeJS.Timeout | undefined
  try {
    // The first instance migrates the database; the rows are written before any other starts.
    apps.push(await startApp(dataDir, configFile, env, 0))
    await seed(database.url, origins)
    for (let i = 1; i < instances; i++) apps.push(await startApp(dataDir, configFile, env, i))
    for (const _ of apps) rss.push([])
    sampler = setInterval(() => {
      for (const [i, app] of apps.entries()) rss[i]?.push(rssMb(app.child.pid))
    }, 1000)
    // Warm-up: the first interval places and checks every server (each opens its session).
    await sleep(WARMUP_INTERVALS * INTERVAL)
    fleet.reset()
    const started = Date.now()
    await sleep(DURATION)
    const elapsed = Date.now() - started
    const counts = [...fleet.counts().values()]
    const sum = (key: keyof (typeof counts)[number]) => counts.reduce((n, c) => n + c[key], 0)
    const intervals = elapsed / INTERVAL
    const per = (n: number) => round(n / SERVERS / intervals)
    const gaps = [...fleet.pings().values()].map((times) => {
      // From the window's start and to its end, so a server checked once, late, shows it.
      const points = [started, ...times, started + elapsed]
      let largest = 0
      for (let i = 1; i < points.length; i++) {
        largest = Math.max(largest, (points[i] as number) - (points[i - 1] as number))
      }
      return largest / INTERVAL
    })
    gaps.sort((a, b) => a - b)
    const online = await countOnline(database.url)
    return {
      label: values.label,
      instances,
      origins,
      servers: SERVERS,
      intervals: round(intervals),
      perServerPerInterval: {
        checks: per(sum('ping')),
        initialize: per(sum('initialize')),
        discover: per(sum('discover')),
        toolsList: per(sum('toolsList')),
      },
      checkedInTime: gaps.filter((gap) => gap <= 1.5).length,
      gapIntervals: {
        p50: round(gaps[Math.floor(gaps.length / 2)] ?? 0),
        p99: round(gaps[Math.floor(gaps.length * 0.99)] ?? 0),
        max: round(gaps.at(-1) ?? 0),
      },
      neverChecked: SERVERS - fleet.pings().size,
      online,
      openEventStreams: fleet.live().eventStreams,
      instanceRssMb: rss.map((samples) => ({
        max: Math.max(...samples),
        end: samples.at(-1) ?? 0,
      })),
    }
  } finally {
    clearInterval(sampler)
    for (const app of apps) await stopChild(app.child)
    await database.drop()
  }
}

async function startApp(
  dataDir: string,
  configFile: string,
  env: Record<string, string>,
  index: number,
) {
  const port = 4100 + index + Math.floor(Math.random() * 40) * 4
  const base = `http://127.0.0.1:${port}`
  const { child } = await startChild(
    process.execPath,
    [...profileArgs(), join(appDir, 'bin/switchboard.js'), 'serve'],
    {
      env: {
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        SWITCHBOARD_DATA_DIR: join(dataDir, `instance-${index}`),
        SWITCHBOARD_CONFIG: configFile,
        SWITCHBOARD_WEB_DIR: join(dataDir, 'no-web'),
      },
      ready: /./,
      waitFor: `${base}/api/health`,
    },
  )
  return { child, base }
}

/** Users, their servers and their activity (all active), in a few statements. */
async function seed(url: string, origins: 'many' | 'one') {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const users = Math.ceil(SERVERS / PER_USER)
    await client.query(
      `insert into users (id, email, name)
       select 'sim-' || g, 'sim-' || g || '@example.test', 'User ' || g
       from generate_series(1, $1) g`,
      [users],
    )
    const indexes = Array.from({ length: SERVERS }, (_, i) => i)
    await client.query(
      `insert into mcp_servers (user_id, name, transport, url, config)
       select 'sim-' || (u + 1), 'server ' || i, 'streamable-http', url, '{}'
       from unnest($1::int[], $2::int[], $3::text[]) as t(i, u, url)`,
      [
        indexes,
        indexes.map((i) => Math.floor(i / PER_USER)),
        indexes.map((i) => fleet.urlOf(i, origins)),
      ],
    )
    // The code before the schedule has no activity table: nothing to write there.
    const hasActivity = await client.query(`select to_regclass('user_activity') as t`)
    if (hasActivity.rows[0]?.t) {
      await client.query(`insert into user_activity select id, now() from users`)
    }
  } finally {
    await client.end()
  }
}

async function countOnline(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query(
      `select count(*)::int as n from mcp_servers where status = 'online'`,
    )
    return rows[0]?.n ?? 0
  } finally {
    await client.end()
  }
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
    return Math.round(kb / 1024)
  } catch {
    return 0
  }
}

function print(result: RunResult) {
  const p = result.perServerPerInterval
  console.log(
    [
      `${result.label} · ${result.instances} instance(s) · ${result.origins === 'one' ? 'one origin' : 'an origin each'}`,
      `  per server and interval: ${p.checks} checks, ${p.initialize} initialize, ${p.discover} server/discover, ${p.toolsList} tools/list`,
      `  checked within 1.5 intervals: ${result.checkedInTime}/${result.servers}; never: ${result.neverChecked}; largest gap p50 ${result.gapIntervals.p50}, p99 ${result.gapIntervals.p99}, max ${result.gapIntervals.max} intervals`,
      `  online at the end: ${result.online}/${result.servers}; open event streams: ${result.openEventStreams}`,
      `  memory (RSS, MB): ${result.instanceRssMb.map((m) => `max ${m.max}, end ${m.end}`).join(' | ')}`,
    ].join('\n'),
  )
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
