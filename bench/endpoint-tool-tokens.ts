/**
 * What the personal MCP endpoint's tool definitions cost a client's model, in tokens, per tool
 * mode (issue 15, "too many tools"). A real Switchboard (in process, on PGlite) with one user who
 * has 20 MCP servers × 25 tools (bench/tool-corpus.ts, served by the v2 server SDK and added
 * through the API, so discovery, sanitizing and naming run as in production); an API token;
 * and profiles. Measured, as the client receives it over HTTP:
 *
 * - `/mcp` (every tool listed): the `tools/list` result;
 * - a profile in search mode: its `tools/list` result (`search_tools` and `call_tool`), and the
 *   `search_tools` answer for typical queries (what the model reads before it calls a tool);
 * - a "read-only" profile of single tools (the 10 list/get tools of one server), every tool listed.
 *
 * Tokens are counted with gpt-tokenizer (o200k_base: GPT-4o, GPT-4.1, GPT-5; cl100k_base: GPT-4)
 * on the JSON text. Other models' tokenizers differ by some percent; the ratios hold.
 *
 * Run: `npm run bench:endpoint-tokens`. Writes bench/results/endpoint-tool-tokens-<date>.json.
 */
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { createMcpHandler, Server } from '@modelcontextprotocol/server'
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base'
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base'
import { listen } from '../test/helpers/listen.ts'
import { LOOPBACK_POLICY, serveFetch } from '../test/helpers/mcp-servers.ts'
import { registerUser, startApp } from '../test/helpers/start-app.ts'
import { type CorpusServer, toolCorpus } from './tool-corpus.ts'

const QUERIES = [
  'create github issue',
  'send slack message',
  'weather forecast',
  'list kubernetes pods',
  'refund stripe payment',
]

const corpus = toolCorpus()
const upstream = await serveCorpus(corpus)
const t = await startApp({ config: { ssrf: LOOPBACK_POLICY } })
const app = await listen(t.app)

try {
  const user = await registerUser(t)
  for (const server of corpus) {
    const res = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: user.cookie,
      json: {
        name: server.name,
        transport: 'streamable-http',
        url: `${upstream.url}/${server.name}`,
      },
    })
    if (res.status !== 201)
      throw new Error(`adding ${server.name}: ${res.status} ${await res.text()}`)
  }
  const servers = (await (await t.request('/api/user/mcp-servers', { cookie: user.cookie })).json())
    .servers as { id: string; name: string }[]
  const token = (
    await (
      await t.request('/api/user/tokens', {
        method: 'POST',
        cookie: user.cookie,
        json: { name: 'bench' },
      })
    ).json()
  ).secret as string
  const github = servers.find((server) => server.name === 'github') as { id: string }
  const githubTools = (
    await (
      await t.request(`/api/user/mcp-servers/${github.id}/tools`, { cookie: user.cookie })
    ).json()
  ).tools as { id: string; name: string }[]
  const readOnly = githubTools.filter((tool) => /^(list|get)_/.test(tool.name))
  const profile = async (json: Record<string, unknown>) => {
    const res = await t.request('/api/user/mcp-profiles', {
      method: 'POST',
      cookie: user.cookie,
      json,
    })
    if (res.status !== 201) throw new Error(`profile: ${res.status} ${await res.text()}`)
  }
  const allIds = servers.map((server) => server.id)
  await profile({ name: 'agent', serverIds: allIds, toolMode: 'search' })
  await profile({ name: 'read-only', serverIds: [], toolIds: readOnly.map((tool) => tool.id) })

  const rpc = (path: string) => async (method: string, params: Record<string, unknown>) => {
    const res = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    })
    const text = await res.text()
    // One answer, as JSON or as one SSE event.
    const json = text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? '')
    const body = JSON.parse(json) as { result?: Record<string, unknown>; error?: unknown }
    if (!body.result) throw new Error(`${method} at ${path}: ${text.slice(0, 300)}`)
    return body.result
  }
  const measure = (text: string) => ({
    bytes: Buffer.byteLength(text),
    o200k: o200k(text),
    cl100k: cl100k(text),
  })
  const listOf = async (path: string) => {
    const result = await rpc(path)('tools/list', {})
    const tools = result.tools as { name: string; description?: string; inputSchema: unknown }[]
    // What a client typically hands its model: name, description and schema of each tool.
    const functions = tools.map(({ name, description, inputSchema }) => ({
      name,
      description,
      parameters: inputSchema,
    }))
    return {
      tools: tools.length,
      toolsList: measure(JSON.stringify(result)),
      asModelFunctions: measure(JSON.stringify(functions)),
    }
  }

  const all = await listOf('/mcp')
  const search = await listOf('/mcp/p/agent')
  const singles = await listOf('/mcp/p/read-only')
  const answers = []
  for (const query of QUERIES) {
    const result = await rpc('/mcp/p/agent')('tools/call', {
      name: 'search_tools',
      arguments: { query },
    })
    const text = (result.content as { text: string }[])[0]?.text ?? ''
    const found = JSON.parse(text) as { tools: { name: string }[] }
    answers.push({ query, found: found.tools.map((tool) => tool.name), answer: measure(text) })
  }
  const meanAnswer = Math.round(
    answers.reduce((sum, a) => sum + a.answer.o200k, 0) / answers.length,
  )
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    corpus: { servers: corpus.length, toolsPerServer: corpus[0]?.tools.length, tools: all.tools },
    tokenizer: 'gpt-tokenizer o200k_base (GPT-4o/4.1/5) and cl100k_base (GPT-4)',
    modes: {
      all: all,
      search: {
        ...search,
        searchAnswers: answers,
        meanSearchAnswerO200k: meanAnswer,
        /** The listing plus one search: what a task that needs one tool reads up front. */
        listingPlusOneSearchO200k: search.toolsList.o200k + meanAnswer,
      },
      singleTools: { profile: 'read-only: the 10 list/get tools of github', ...singles },
    },
    ratios: {
      allOverSearchListing: round(all.toolsList.o200k / search.toolsList.o200k),
      allOverSearchListingPlusOneSearch: round(
        all.toolsList.o200k / (search.toolsList.o200k + meanAnswer),
      ),
      tokensPerToolAll: round(all.toolsList.o200k / all.tools),
    },
  }
  const file = new URL(
    `results/endpoint-tool-tokens-${results.date.slice(0, 10)}.json`,
    import.meta.url,
  )
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  const row = (label: string, m: { o200k: number; cl100k: number; bytes: number }) =>
    `${label.padEnd(44)} ${String(m.o200k).padStart(8)} ${String(m.cl100k).padStart(8)} ${String(m.bytes).padStart(9)}`
  console.log(
    `${'tokens (o200k, cl100k) and bytes'.padEnd(44)} ${'o200k'.padStart(8)} ${'cl100k'.padStart(8)} ${'bytes'.padStart(9)}`,
  )
  console.log(row(`/mcp tools/list (${all.tools} tools)`, all.toolsList))
  console.log(row('/mcp as model functions', all.asModelFunctions))
  console.log(row(`search mode tools/list (${search.tools} tools)`, search.toolsList))
  console.log(row('search mode as model functions', search.asModelFunctions))
  for (const a of answers) console.log(row(`search_tools "${a.query}"`, a.answer))
  console.log(row(`read-only profile (${singles.tools} tools)`, singles.toolsList))
  console.log(results.ratios)
  console.log(`written to ${file.pathname}`)
} finally {
  await app.close()
  await t.close()
  await upstream.close()
}

/** Each corpus server at `<url>/<name>`: the v2 server SDK, both protocol eras, stateless. */
async function serveCorpus(servers: CorpusServer[]) {
  const handlers = new Map(
    servers.map((server) => [
      server.name,
      createMcpHandler(
        () => {
          const mcp = new Server(
            { name: server.name, version: '1.0.0' },
            { capabilities: { tools: {} } },
          )
          mcp.setRequestHandler('tools/list', async () => ({ tools: server.tools as never[] }))
          mcp.setRequestHandler('tools/call', async (request) => ({
            content: [{ type: 'text', text: `${request.params.name}: done` }],
          }))
          return mcp
        },
        { legacy: 'stateless', keepAliveMs: 0 },
      ),
    ]),
  )
  const running = await serveFetch(async (request) => {
    const name = new URL(request.url).pathname.split('/').pop() ?? ''
    const handler = handlers.get(name)
    return handler ? handler.fetch(request) : new Response('not found', { status: 404 })
  })
  return {
    url: running.url,
    close: async () => {
      for (const handler of handlers.values()) await handler.close()
      await running.close()
    },
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
