import { fileURLToPath } from 'node:url'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { McpConnection } from '../../../src/server/mcp/client/connect.ts'
import { connectMcp } from '../../../src/server/mcp/client/connect.ts'
import type { McpEndpoint } from '../../../src/server/mcp/client/endpoint.ts'
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  messageCapFor,
} from '../../../src/server/mcp/client/transports/limit-response-size.ts'
import { toMcpFailure } from '../../../src/server/mcp/client/upstream-errors.ts'
import { endpointFor } from '../../../src/server/mcp/servers/endpoint-of-row.ts'
import { hugeResultServer } from '../../fixtures/mcp/huge-result-server.ts'
import { startLegacySseServer } from '../../fixtures/mcp/legacy-sse-server.ts'
import { startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { startWebSocketMcpServer } from '../../fixtures/mcp/websocket-server.ts'
import type { Running } from '../../helpers/mcp-servers.ts'
import { serveHttp, testDeps } from '../../helpers/mcp-servers.ts'
import { testConfig } from '../../helpers/test-config.ts'

// One message from a server over the cap (10 MB, or twice toolCalls.maxResultBytes when more)
// must fail the request it answers at once, saying so, on every transport, and leave the server
// looking as it is: up. Under the cap a result arrives whole, for the proxy to truncate.
const MB = 1024 * 1024
// Over the 10 MB default message cap.
const HUGE = 12 * MB
// Requests wait this long for an answer: a refusal that is not delivered shows as a failure
// of the "within seconds" checks, not as a test that hangs.
const REQUEST_TIMEOUT_MS = 20_000
// A refusal fails in well under a second; generous for a loaded machine, far below the timeout.
const FAST_MS = 10_000
const TOO_LARGE =
  /^the result is too large: the server sent (more than 10|\d+(\.\d)?) MB in one message, the limit is 10 MB; ask the tool for less, or ask the operator to raise toolCalls\.maxResultBytes$/
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const STDIO_FIXTURE = 'test/fixtures/mcp/huge-result-stdio.mjs'

const TRANSPORTS = [
  'streamable HTTP answering JSON',
  'streamable HTTP answering SSE',
  'streamable HTTP answering resumable SSE',
  'streamable HTTP answering SSE (operator server, unguarded fetch)',
  'legacy SSE',
  'WebSocket',
  'stdio',
] as const
type Kind = (typeof TRANSPORTS)[number]

/** A server whose `huge` tool answers with as many bytes as asked, and how to reach it. */
async function startHugeServer(kind: Kind, maxMessageBytes?: number): Promise<McpEndpoint> {
  const base = {
    name: 'huge',
    trusted: false,
    timeouts: { connectMs: REQUEST_TIMEOUT_MS, requestMs: REQUEST_TIMEOUT_MS },
    ...(maxMessageBytes ? { maxMessageBytes } : {}),
  }
  if (kind === 'stdio') {
    const args = [STDIO_FIXTURE]
    return {
      ...base,
      transport: 'stdio',
      trusted: true,
      command: process.execPath,
      args,
      cwd: ROOT,
    }
  }
  let server: Running
  if (kind === 'legacy SSE') server = await startLegacySseServer(hugeResultServer)
  else if (kind === 'WebSocket') {
    server = await startWebSocketMcpServer({ createServer: hugeResultServer })
  } else {
    server = await startSdkHttpServer(hugeResultServer, {
      jsonResponse: kind === 'streamable HTTP answering JSON',
      resumable: kind === 'streamable HTTP answering resumable SSE',
    })
  }
  onTestFinished(() => server.close())
  const transport =
    kind === 'legacy SSE' ? 'sse' : kind === 'WebSocket' ? 'websocket' : 'streamable-http'
  return { ...base, transport, url: server.url, trusted: kind.includes('operator') }
}

async function connect(endpoint: McpEndpoint, closes: Array<unknown> = []) {
  const connection = await connectMcp(endpoint, testDeps(), {
    onClose: (failure) => closes.push(failure),
  })
  onTestFinished(() => connection.close())
  return connection
}

function callHuge(connection: McpConnection, bytes: number) {
  return connection.client.callTool(
    { name: 'huge', arguments: { bytes } },
    { timeout: REQUEST_TIMEOUT_MS },
  )
}

function textOf(result: Awaited<ReturnType<typeof callHuge>>): string {
  const [block] = result.content as Array<{ type: string; text?: string }>
  return block?.text ?? ''
}

describe('a result over the message cap', () => {
  it.each(TRANSPORTS)(
    'fails at once over %s, saying it is too large (not offline, not a timeout)',
    async (kind) => {
      const endpoint = await startHugeServer(kind)
      const closes: unknown[] = []
      const connection = await connect(endpoint, closes)
      const started = performance.now()
      const error = await callHuge(connection, HUGE).then(
        () => new Error('expected the call to fail'),
        (caught: unknown) => caught,
      )
      expect(performance.now() - started).toBeLessThan(FAST_MS)
      expect(toMcpFailure(error, endpoint)).toEqual({
        code: 'upstream_failed',
        status: 'error',
        message: expect.stringMatching(TOO_LARGE),
        reason: { key: 'upstream.tooLarge', params: { limit: '10 MB' } },
      })
      if (kind.startsWith('streamable HTTP')) {
        // Only that request failed: the session goes on.
        expect(textOf(await callHuge(connection, 5))).toBe('xxxxx')
        expect(closes).toEqual([])
      } else {
        // The refusal ended the connection on our side: nothing to report as a lost session.
        await expect.poll(() => closes, { timeout: FAST_MS }).toEqual([null])
      }
    },
  )

  it('does not have a resumable server send the refused message again', async () => {
    const server = await startSdkHttpServer(hugeResultServer, { resumable: true })
    onTestFinished(() => server.close())
    const endpoint: McpEndpoint = {
      name: 'huge',
      transport: 'streamable-http',
      url: server.url,
      trusted: false,
    }
    const connection = await connect(endpoint)
    await expect(callHuge(connection, HUGE)).rejects.toThrow(TOO_LARGE)
    // The SDK resumes a cut SSE answer after 1 s (GET with Last-Event-ID), and again each time
    // the replay is cut: the refused answer must not be asked for again.
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    const resumed = server.requests.filter((request) => request.headers.has('last-event-id'))
    expect(resumed).toEqual([])
  })

  it('refuses a JSON answer over the cap to the handshake, saying so', async () => {
    const server = await startHugeAnswerServer('json')
    const attempt = connectMcp(
      { name: 'huge', transport: 'streamable-http', url: server.url, trusted: false },
      testDeps(),
    )
    await expect(attempt).rejects.toThrow(TOO_LARGE)
  })

  it('refuses an SSE answer over the cap to the handshake at once, saying so', async () => {
    const server = await startHugeAnswerServer('sse')
    const started = performance.now()
    const attempt = connectMcp(
      {
        name: 'huge',
        transport: 'streamable-http',
        url: server.url,
        trusted: false,
        timeouts: { connectMs: REQUEST_TIMEOUT_MS },
      },
      testDeps(),
    )
    await expect(attempt).rejects.toThrow(TOO_LARGE)
    expect(performance.now() - started).toBeLessThan(FAST_MS)
  })
})

describe('the message cap follows toolCalls.maxResultBytes', () => {
  it('is 10 MB up to a 5 MB result cap, and twice the result cap above it', () => {
    expect(messageCapFor(1_000_000)).toBe(DEFAULT_MAX_MESSAGE_BYTES)
    expect(messageCapFor(5 * MB)).toBe(10 * MB)
    expect(messageCapFor(20_000_000)).toBe(40_000_000)
    const defaults = testConfig()
    const raised = { ...defaults, toolCalls: { ...defaults.toolCalls, maxResultBytes: 20_000_000 } }
    const input = {
      name: 'x',
      transport: 'streamable-http' as const,
      url: 'https://mcp.example.com/mcp',
      authData: null,
      serverConfig: {},
      trusted: false,
    }
    expect(endpointFor(defaults, input).maxMessageBytes).toBe(DEFAULT_MAX_MESSAGE_BYTES)
    expect(endpointFor(raised, input).maxMessageBytes).toBe(40_000_000)
  })

  it.each(TRANSPORTS)(
    'lets a 12 MB result through over %s when results may be 20 MB',
    async (kind) => {
      const endpoint = await startHugeServer(kind, messageCapFor(20_000_000))
      const connection = await connect(endpoint)
      expect(textOf(await callHuge(connection, HUGE))).toHaveLength(HUGE)
    },
  )
})

// Hand-written: answers every POST, the handshake included, with one 11 MB message.
async function startHugeAnswerServer(kind: 'json' | 'sse') {
  const server = await serveHttp((req, res) => {
    req.resume()
    req.on('end', () => {
      const padding = 'x'.repeat(11 * MB)
      const message = JSON.stringify({ jsonrpc: '2.0', id: 0, result: { padding } })
      if (kind === 'json') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(message)
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        res.end(`event: message\ndata: ${message}\n\n`)
      }
    })
  })
  onTestFinished(() => server.close())
  return server
}
