/**
 * Tool-call proxy overhead: (a) a direct MCP SDK client call of `echo` on a local streamable
 * HTTP server, against (b) the same call through `POST /api/chat/tool-call` of a running
 * Switchboard (embedded database, call log on), with 1 and 8 concurrent clients. A third path,
 * (c) the SDK client through a bare relay (bench/relay-server.ts), measures what one extra HTTP
 * hop costs on this machine. Rounds of (a), (c) and (b) alternate so all see the same machine
 * noise; the ratios b/a (the targets), c/a and b/c are what to read.
 *
 * (d) `endpoint`: an MCP client calling the same tool through the user's personal MCP endpoint
 * (`/mcp`, issue 15), the path Claude Desktop or Cursor take; endpoint/direct is its ratio.
 *
 * `--era modern` runs it against an MCP 2026-07-28 server (stateless: no session, `_meta` and
 * `Mcp-*` headers on every request), the default `legacy` against a 2025 one with sessions.
 *
 *   npm run bench:tool-calls [-- --calls 2000 --rounds 4 --era modern]
 *
 * `--baseline <dir>` runs a second Switchboard from another checkout (say, a worktree of the
 * commit before a change) and adds its calls as a fourth path in the same rounds: before and
 * after on the same machine noise.
 *
 * Writes bench/results/tool-call-proxy-<date>.json and prints a table.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import {
  createDatabase,
  registerBenchUser,
  runLoad,
  type Summary,
  startBenchApp,
  startChild,
  stopChild,
  summarize,
} from './lib.ts'

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '300' },
    /** A PostgreSQL server URL: the app runs on a fresh database there instead of PGlite. */
    postgres: { type: 'string' },
    era: { type: 'string', default: 'legacy' },
    /** Another checkout whose Switchboard is measured alongside, as `baseline`. */
    baseline: { type: 'string' },
  },
})
const ERA = values.era === 'modern' ? 'modern' : 'legacy'
const CALLS = Number(values.calls)
const ROUNDS = Number(values.rounds)
const WARMUP = Number(values.warmup)
const CONCURRENCY = [1, 8]
const root = new URL('..', import.meta.url).pathname

const echo = await startChild(
  process.execPath,
  ['--import', 'tsx', join(root, 'bench/echo-server.ts'), ERA],
  {
    ready: /^http:/,
  },
)
const mcpUrl = echo.line.trim()
const relay = await startChild(
  process.execPath,
  ['--import', 'tsx', join(root, 'bench/relay-server.ts'), mcpUrl],
  { ready: /^http:/ },
)
const relayUrl = relay.line.trim()
const databases: { drop(): Promise<void> }[] = []
/** A Switchboard on a fresh data dir (and database), from this checkout or `root`. */
async function startSwitchboard(root?: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'))
  const configFile = join(dataDir, 'switchboard.yaml')
  writeFileSync(
    configFile,
    [
      'allowPrivateNetworks: ["127.0.0.0/8"]',
      'toolCalls:',
      '  rateLimit: { perUser: 100000000, perServer: 100000000, perSeconds: 1, maxInFlightPerUser: 1000 }',
      // Request logs would be written to a pipe this process reads: not what is measured.
      'log: { level: warn }',
      '',
    ].join('\n'),
  )
  const database = values.postgres ? await createDatabase(values.postgres) : null
  if (database) databases.push(database)
  return startBenchApp({
    dataDir,
    configFile,
    ...(root ? { root } : {}),
    // Without it the app ran on PGlite, whatever --postgres said.
    ...(database ? { env: { DATABASE_URL: database.url } } : {}),
  })
}
const { app, base } = await startSwitchboard()
const baseline = values.baseline ? await startSwitchboard(values.baseline) : null

try {
  const { token, toolId } = await setUp(base)
  // The direct client negotiates as Switchboard's does (src/server/mcp/client/connect.ts).
  const negotiated = { versionNegotiation: { mode: 'auto' as const } }
  const direct = new Client({ name: 'bench', version: '1' }, negotiated)
  await direct.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)))
  const callDirect = async () => {
    const result = await direct.callTool({ name: 'echo', arguments: { message: 'ping' } })
    if (result.isError) throw new Error('direct call failed')
  }
  const hop = new Client({ name: 'bench', version: '1' }, negotiated)
  await hop.connect(new StreamableHTTPClientTransport(new URL(relayUrl)))
  const callHop = async () => {
    const result = await hop.callTool({ name: 'echo', arguments: { message: 'ping' } })
    if (result.isError) throw new Error('call through the relay failed')
  }
  const callerOf = (at: string, auth: { token: string; toolId: string }) => async () => {
    const res = await fetch(`${at}/api/chat/tool-call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ toolId: auth.toolId, arguments: { message: 'ping' } }),
    })
    const body = (await res.json()) as { call?: { status: string } }
    if (res.status !== 200 || body.call?.status !== 'succeeded') {
      throw new Error(`proxy call failed: ${res.status} ${JSON.stringify(body)}`)
    }
  }
  const viaEndpoint = new Client({ name: 'bench', version: '1' }, negotiated)
  await viaEndpoint.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  )
  const callEndpoint = async () => {
    const result = await viaEndpoint.callTool({
      name: 'echo__echo',
      arguments: { message: 'ping' },
    })
    if (result.isError) throw new Error(`endpoint call failed: ${JSON.stringify(result.content)}`)
  }
  // Warm up every path (JIT, connection pools, the upstream sessions).
  const paths: Partial<Record<Path, () => Promise<void>>> = {
    direct: callDirect,
    hop: callHop,
    proxy: callerOf(base, { token, toolId }),
    endpoint: callEndpoint,
    ...(baseline ? { baseline: callerOf(baseline.base, await setUp(baseline.base)) } : {}),
  }
  for (const fn of Object.values(paths)) await runLoad(fn, { concurrency: 8, total: WARMUP })

  const results: Record<string, Result> = {}
  for (const concurrency of CONCURRENCY) {
    const lat: Record<Path, number[]> = {
      direct: [],
      hop: [],
      proxy: [],
      endpoint: [],
      baseline: [],
    }
    const wall: Record<Path, number> = { direct: 0, hop: 0, proxy: 0, endpoint: 0, baseline: 0 }
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, fn] of Object.entries(paths) as [Path, () => Promise<void>][]) {
        const run = await runLoad(fn, { concurrency, total: Math.round(CALLS / ROUNDS) })
        lat[name].push(...run.latencies)
        wall[name] += run.wallMs
      }
    }
    const direct = summarize(lat.direct, wall.direct)
    const hopped = summarize(lat.hop, wall.hop)
    const proxy = summarize(lat.proxy, wall.proxy)
    const endpoint = summarize(lat.endpoint, wall.endpoint)
    const before = baseline ? summarize(lat.baseline, wall.baseline) : null
    results[`c${concurrency}`] = {
      direct,
      hop: hopped,
      proxy,
      ratio: ratios(proxy, direct),
      hopRatio: ratios(hopped, direct),
      proxyOverHop: ratios(proxy, hopped),
      endpoint,
      endpointRatio: ratios(endpoint, direct),
      ...(before
        ? {
            baseline: before,
            baselineOverHop: ratios(before, hopped),
            proxyOverBaseline: ratios(proxy, before),
          }
        : {}),
    }
  }
  await viaEndpoint.close()
  await hop.close()
  await direct.close()
  print(results)
  const file = join(
    root,
    'bench/results',
    `tool-call-proxy-${values.postgres ? 'postgresql' : 'pglite'}-${ERA}-${new Date().toISOString().slice(0, 10)}.json`,
  )
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpus: (await import('node:os')).cpus().length,
        callsPerConcurrency: CALLS,
        rounds: ROUNDS,
        database: values.postgres ? 'postgresql' : 'pglite',
        era: ERA,
        ...(values.baseline ? { baseline: commitOf(values.baseline) } : {}),
        results,
      },
      null,
      2,
    )}\n`,
  )
  process.stdout.write(`\nwritten to ${file}\n`)
} finally {
  await stopChild(app.child)
  if (baseline) await stopChild(baseline.app.child)
  await stopChild(relay.child)
  await stopChild(echo.child)
  for (const database of databases) await database.drop()
}

/** A fresh database on the server (dropped at the end), so every run starts empty. */
async function setUp(base: string): Promise<{ token: string; toolId: string }> {
  const session = await registerBenchUser(base)
  const created = await fetch(`${base}/api/user/tokens`, {
    method: 'POST',
    headers: session,
    body: JSON.stringify({ name: 'bench' }),
  })
  const { secret: token } = (await created.json()) as { secret: string }
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
  const server = await fetch(`${base}/api/user/mcp-servers`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ name: 'echo', transport: 'streamable-http', url: mcpUrl }),
  })
  if (server.status !== 201) throw new Error(`add server: ${server.status} ${await server.text()}`)
  const { id } = (await server.json()) as { id: string }
  const tools = (await (
    await fetch(`${base}/api/user/mcp-servers/${id}/tools`, { headers: auth })
  ).json()) as { tools: { id: string; name: string }[] }
  const echoTool = tools.tools.find((tool) => tool.name === 'echo')
  if (!echoTool) throw new Error('no echo tool')
  // The MCP endpoint asks before a tool that may change things (echo says nothing): never here.
  const allowed = await fetch(`${base}/api/user/mcp-servers/${id}/tools/${echoTool.id}`, {
    method: 'PATCH',
    headers: auth,
    body: JSON.stringify({ approvalPolicy: 'never' }),
  })
  if (allowed.status !== 200) throw new Error(`allow echo: ${allowed.status}`)
  return { token, toolId: echoTool.id }
}

type Path = 'direct' | 'hop' | 'proxy' | 'endpoint' | 'baseline'
type Ratios = { p50: number; p99: number; throughput: number }
interface Result {
  direct: Summary
  hop: Summary
  proxy: Summary
  /** proxy / direct: the targets */
  ratio: Ratios
  /** one bare extra hop / direct: what any gateway costs on this machine */
  hopRatio: Ratios
  /** proxy / one bare extra hop: what Switchboard adds beyond the hop */
  proxyOverHop: Ratios
  /** An MCP client through the personal MCP endpoint (`/mcp`) */
  endpoint: Summary
  /** endpoint / direct: issue 15's measure */
  endpointRatio: Ratios
  /** With --baseline: the other checkout's calls, and how this one compares */
  baseline?: Summary
  baselineOverHop?: Ratios
  proxyOverBaseline?: Ratios
}

function ratios(path: Summary, base: Summary): Ratios {
  return {
    p50: round(path.p50 / base.p50),
    p99: round(path.p99 / base.p99),
    throughput: round(path.perSecond / base.perSecond),
  }
}

function print(results: Record<string, Result>) {
  const rows = [['clients', 'path', 'p50 ms', 'p99 ms', 'calls/s']]
  for (const [key, r] of Object.entries(results)) {
    const clients = key.slice(1)
    for (const path of ['direct', 'hop', 'proxy', 'endpoint', 'baseline'] as const) {
      const summary = r[path]
      if (summary)
        rows.push([clients, path, `${summary.p50}`, `${summary.p99}`, `${summary.perSecond}`])
    }
    for (const [label, q] of [
      ['proxy/direct', r.ratio],
      ['endpoint/dir', r.endpointRatio],
      ['hop/direct', r.hopRatio],
      ['proxy/hop', r.proxyOverHop],
      ['baseline/hop', r.baselineOverHop],
      ['proxy/base', r.proxyOverBaseline],
    ] as const) {
      if (q) rows.push([clients, label, `${q.p50}`, `${q.p99}`, `${q.throughput}`])
    }
  }
  for (const row of rows) process.stdout.write(`${row.map((cell) => cell.padEnd(13)).join(' ')}\n`)
}

/** The commit a checkout is at (and whether it has changes), to say what the baseline was. */
function commitOf(dir: string): string {
  try {
    const head = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD']).toString().trim()
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'])
      .toString()
      .trim()
    return dirty ? `${head} with changes` : head
  } catch {
    return dir
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
