/**
 * Chat overhead before the first byte: `POST /api/chat/stream` with 20 servers × 25 tools
 * enabled (all 500 offered to the model), against a fake OpenRouter that answers at once,
 * compared in the same run with the fake model called directly (same kind of request, no
 * tools). Reports time to the first byte of the response body, p50/p99, and the difference.
 *
 *   npm run bench:chat [-- --requests 300]
 *
 * Writes bench/results/chat-first-byte-<date>.json and prints a table.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { repeat, startFakeOpenRouter, text } from '../test/fixtures/llm/fake-openrouter.ts'
import { startSdkHttpServer } from '../test/fixtures/mcp/sdk-http-server.ts'
import { fixedToolsServer } from '../test/fixtures/mcp/tool-list-servers.ts'
import { registerBenchUser, startBenchApp, stopChild, summarize } from './lib.ts'

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '30' },
  },
})
const REQUESTS = Number(values.requests)
const WARMUP = Number(values.warmup)
const SERVERS = 20
const TOOLS_PER_SERVER = 25
const root = new URL('..', import.meta.url).pathname

const tools = Array.from({ length: TOOLS_PER_SERVER }, (_, i) => ({
  name: `tool_${i}`,
  description: `Does thing number ${i} with the text it is given`,
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  annotations: { readOnlyHint: true },
}))
const upstream = await startSdkHttpServer(() => fixedToolsServer(tools))
const model = await startFakeOpenRouter()
model.enqueue(...repeat(text('ok'), (REQUESTS + WARMUP) * 4))

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'))
const configFile = join(dataDir, 'switchboard.yaml')
writeFileSync(
  configFile,
  [
    'allowPrivateNetworks: ["127.0.0.0/8"]',
    'chat: { toolBudget: 1000 }',
    'log: { level: warn }',
    '',
  ].join('\n'),
)
const { app, base } = await startBenchApp({
  dataDir,
  configFile,
  env: { OPENROUTER_API_KEY: 'bench-key', OPENROUTER_BASE_URL: model.baseUrl },
})

try {
  const auth = await setUp()
  const direct = async () => {
    const started = performance.now()
    const res = await fetch(`${model.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    })
    return firstByte(res, started)
  }
  // Switching a tool off and on again drops the user's cached tool catalog: the next turn reads
  // and converts all 500 tools (the first turn after any change to the user's tools).
  const firstTool = await firstToolOf(auth)
  const changeTools = async () => {
    for (const enabled of [false, true]) {
      const res = await fetch(firstTool, {
        method: 'PATCH',
        headers: auth,
        body: JSON.stringify({ enabled }),
      })
      if (!res.ok) throw new Error(`toggle tool: ${res.status} ${await res.text()}`)
    }
  }
  const proxy = async () => {
    const created = await fetch(`${base}/api/conversations`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({}),
    })
    const { id } = (await created.json()) as { id: string }
    const started = performance.now()
    const res = await fetch(`${base}/api/chat/stream`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        conversationId: id,
        message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'hi' }] },
      }),
    })
    return firstByte(res, started)
  }
  for (let i = 0; i < WARMUP; i += 1) {
    await direct()
    await proxy()
  }
  const lat = { direct: [] as number[], proxy: [] as number[], cold: [] as number[] }
  for (let i = 0; i < REQUESTS; i += 1) {
    lat.direct.push(await direct())
    lat.proxy.push(await proxy())
    await changeTools()
    lat.cold.push(await proxy())
  }
  const offered = model.toolNames().length
  const d = summarize(lat.direct, 1)
  const p = summarize(lat.proxy, 1)
  const c = summarize(lat.cold, 1)
  const added = { p50: round(p.p50 - d.p50), p99: round(p.p99 - d.p99) }
  const addedCold = { p50: round(c.p50 - d.p50), p99: round(c.p99 - d.p99) }
  process.stdout.write(`tools offered to the model: ${offered}\n`)
  process.stdout.write(`path     p50 ms   p99 ms\n`)
  process.stdout.write(`direct   ${d.p50}     ${d.p99}\n`)
  process.stdout.write(`chat     ${p.p50}     ${p.p99}\n`)
  process.stdout.write(`added    ${added.p50}     ${added.p99}\n`)
  process.stdout.write(`chat, tools just changed   ${c.p50}     ${c.p99}\n`)
  process.stdout.write(`added, tools just changed  ${addedCold.p50}     ${addedCold.p99}\n`)
  const file = join(
    root,
    'bench/results',
    `chat-first-byte-${new Date().toISOString().slice(0, 10)}.json`,
  )
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        servers: SERVERS,
        toolsPerServer: TOOLS_PER_SERVER,
        toolsOffered: offered,
        requests: REQUESTS,
        direct: { p50: d.p50, p99: d.p99 },
        chat: { p50: p.p50, p99: p.p99 },
        addedMs: added,
        toolsJustChanged: { chat: { p50: c.p50, p99: c.p99 }, addedMs: addedCold },
      },
      null,
      2,
    )}\n`,
  )
  process.stdout.write(`written to ${file}\n`)
} finally {
  await stopChild(app.child)
  await model.close()
  await upstream.close()
}

/** Milliseconds from `started` to the first byte of the body; the rest is drained. */
async function firstByte(res: Response, started: number): Promise<number> {
  if (!res.ok || !res.body) throw new Error(`status ${res.status}: ${await res.text()}`)
  const reader = res.body.getReader()
  await reader.read()
  const ms = performance.now() - started
  while (!(await reader.read()).done) {}
  return ms
}

async function setUp(): Promise<Record<string, string>> {
  const auth = await registerBenchUser(base)
  for (let i = 0; i < SERVERS; i += 1) {
    const res = await fetch(`${base}/api/user/mcp-servers`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        name: `server ${i}`,
        transport: 'streamable-http',
        url: upstream.url,
      }),
    })
    if (res.status !== 201) throw new Error(`add server: ${res.status} ${await res.text()}`)
  }
  return auth
}

/** The PATCH URL of the first tool of the user's first server. */
async function firstToolOf(auth: Record<string, string>): Promise<string> {
  const list = await fetch(`${base}/api/user/mcp-servers`, { headers: auth })
  const { servers } = (await list.json()) as { servers: { id: string; userId: string | null }[] }
  const server = servers[0]
  if (!server) throw new Error('no server')
  const res = await fetch(`${base}/api/user/mcp-servers/${server.id}/tools`, { headers: auth })
  const { tools } = (await res.json()) as { tools: { id: string }[] }
  const tool = tools[0]
  if (!tool) throw new Error('no tool')
  return `${base}/api/user/mcp-servers/${server.id}/tools/${tool.id}`
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
