import { ProtocolError } from '@modelcontextprotocol/client'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import type { ConnectOptions, McpConnection } from '../../../src/server/mcp/client/connect.ts'
import { connectMcp } from '../../../src/server/mcp/client/connect.ts'
import { TaskTimeoutError } from '../../../src/server/mcp/client/tasks.ts'
import { callUpstream, type UpstreamCall } from '../../../src/server/toolcalls/call-upstream.ts'
import type { ToolCallProgress } from '../../../src/shared/tool-calls.ts'
import {
  type ModernTaskServer,
  startModernTaskServer,
} from '../../fixtures/mcp/modern-task-server.ts'
import { LOOPBACK_POLICY, testDeps } from '../../helpers/mcp-servers.ts'

// Tasks of MCP 2026-07-28 (the io.modelcontextprotocol/tasks extension): the server answers a
// tools/call with a task, the client polls tasks/get, answers questions with tasks/update and
// cancels with tasks/cancel. Through the product's upstream call, as the proxy makes it.

let server: ModernTaskServer

beforeAll(async () => {
  server = await startModernTaskServer()
})
afterAll(() => server?.close())
beforeEach(() => {
  server.requests.length = 0
})

async function connect(options: ConnectOptions = {}): Promise<McpConnection> {
  const connection = await connectMcp(
    { name: 'tasks', transport: 'streamable-http', url: server.url, trusted: false },
    testDeps({ ssrfPolicy: LOOPBACK_POLICY }),
    options,
  )
  onTestFinished(() => connection.close())
  return connection
}

function callOf(
  name: string,
  args: Record<string, unknown>,
  overrides: Partial<UpstreamCall> = {},
) {
  const progress: ToolCallProgress[] = []
  const call: UpstreamCall = {
    name,
    arguments: args,
    execution: null,
    definition: { inputSchema: { type: 'object' } },
    signal: new AbortController().signal,
    timeoutMs: 5_000,
    maxDurationMs: 30_000,
    onProgress: (update) => progress.push(update),
    ...overrides,
  }
  return { call, progress }
}

function textOf(result: { content: unknown }): string | undefined {
  return (result.content as Array<{ text?: string }>)[0]?.text
}

describe('a 2026-07-28 server with tasks', () => {
  it('runs a call the server makes a task: polled to its end, its status shown as progress', async () => {
    const connection = await connect()
    expect(connection.tasks?.generation).toBe('v2')
    const { call, progress } = callOf('report', { topic: 'switchboards' })

    const result = await callUpstream(connection, call)

    expect(textOf(result)).toBe('report on switchboards')
    expect(result).not.toHaveProperty('resultType')
    expect(progress.map((update) => update.message)).toContain('Reading sources (2/3)')
    const [created, ...polls] = server.requests
    // The extension is declared on the call that may become a task, and only there.
    expect(created?.method).toBe('tools/call')
    expect(created?.params._meta).toMatchObject({
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {
        extensions: { 'io.modelcontextprotocol/tasks': {} },
      },
    })
    const taskId = [...server.tasks.keys()].at(-1)
    expect(polls.length).toBeGreaterThanOrEqual(3)
    for (const poll of polls) {
      expect(poll).toMatchObject({ method: 'tasks/get', mcpName: taskId, params: { taskId } })
    }
  })

  it('asks the user what the task needs and sends the answer with tasks/update', async () => {
    const asked: string[] = []
    const connection = await connect({
      onElicitation: async (params) => {
        asked.push(params.message)
        return { action: 'accept', content: { ok: true } }
      },
    })
    const result = await callUpstream(connection, callOf('approve', { amount: 42 }).call)

    expect(textOf(result)).toBe('approved')
    expect(asked).toEqual(['Approve a payment of 42?'])
    const updates = server.requests.filter((request) => request.method === 'tasks/update')
    expect(updates).toHaveLength(1)
    expect(updates[0]?.params.inputResponses).toEqual({
      confirm: { action: 'accept', content: { ok: true } },
    })
  })

  it('a declined question is the server’s to handle: the task still ends', async () => {
    const connection = await connect({ onElicitation: async () => ({ action: 'decline' }) })
    const result = await callUpstream(connection, callOf('approve', { amount: 7 }).call)
    expect(textOf(result)).toBe('not approved')
  })

  it('cancels the task upstream when the call is cancelled', async () => {
    const connection = await connect()
    const controller = new AbortController()
    const { call } = callOf('forever', {}, { signal: controller.signal })
    const running = callUpstream(connection, call)
    await expect.poll(() => server.requests.some((r) => r.method === 'tasks/get')).toBe(true)
    controller.abort(new Error('stopped by the user'))

    await expect(running).rejects.toThrow('stopped by the user')
    await expect
      .poll(() => server.requests.filter((request) => request.method === 'tasks/cancel').length)
      .toBe(1)
    expect([...server.tasks.values()].at(-1)?.status).toBe('cancelled')
  })

  it('cancels a task that runs past the time cap, and says so', async () => {
    const connection = await connect()
    const { call } = callOf('forever', {}, { maxDurationMs: 300 })
    await expect(callUpstream(connection, call)).rejects.toBeInstanceOf(TaskTimeoutError)
    await expect
      .poll(() => server.requests.some((request) => request.method === 'tasks/cancel'))
      .toBe(true)
  })

  it('a task that failed fails the call with the server’s error', async () => {
    const connection = await connect()
    const failure = await callUpstream(connection, callOf('broken', {}).call).catch((e) => e)
    expect(failure).toBeInstanceOf(ProtocolError)
    expect(failure.message).toMatch(/the report store is unreachable/)
  })

  it('a call the server answers at once is answered at once', async () => {
    const connection = await connect()
    const result = await callUpstream(connection, callOf('echo', { text: 'hi' }).call)
    expect(textOf(result)).toBe('echo: hi')
    expect(server.requests.map((request) => request.method)).toEqual(['tools/call'])
  })

  it('the SDK’s own calls never declare the extension, so they are never made tasks', async () => {
    const connection = await connect()
    const refused = await connection.client
      .callTool({ name: 'report', arguments: { topic: 'x' } })
      .catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ProtocolError)
    expect((refused as ProtocolError).code).toBe(-32021)
    expect(server.tasks.size).toBeGreaterThan(0)
  })
})
