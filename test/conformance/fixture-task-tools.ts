/**
 * The tools the suite's `tasks-*` scenarios call (io.modelcontextprotocol/tasks, 2026-07-28),
 * as its reference server declares them. The fixture server has no tasks of its own: these are
 * plain tools that declare task support, and Switchboard's endpoint makes its own tasks of their
 * calls (src/server/gateway/endpoint-tasks.ts), following the call in its call log.
 *
 * @module
 */
import { type McpServer, ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server'
import { z } from 'zod'

const text = (value: string) => ({ type: 'text' as const, text: value })

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}

export function registerTaskTools(server: McpServer): void {
  server.registerTool(
    'greet',
    {
      description: 'Greets by name, at once (no task)',
      inputSchema: z.object({ name: z.string() }),
    },
    async ({ name }) => ({ content: [text(`Hello, ${name}!`)] }),
  )
  const slow = server.registerTool(
    'slow_compute',
    {
      description: 'Sleeps the given seconds, then answers (task-supporting)',
      inputSchema: z.object({ seconds: z.number().min(0).max(120), label: z.string().optional() }),
    },
    async ({ seconds, label }, ctx) => {
      await sleep(seconds * 1000, ctx.mcpReq.signal)
      return { content: [text(`computed ${label ?? ''} after ${seconds}s`)] }
    },
  )
  const failing = server.registerTool(
    'failing_job',
    {
      description: 'Fails as a tool after a second (task support required)',
    },
    async (ctx) => {
      await sleep(1000, ctx.mcpReq.signal)
      return { content: [text('the job failed')], isError: true }
    },
  )
  const crashing = server.registerTool(
    'protocol_error_job',
    {
      description: 'Fails with a protocol error after half a second (task-supporting)',
    },
    // Answered by `crashProtocolErrorJob` before it gets here: the SDK's McpServer turns what a
    // tool throws into a tool error, and this one must end in a JSON-RPC error.
    async () => {
      throw new ProtocolError(ProtocolErrorCode.InternalError, 'the job crashed')
    },
  )
  // registerTool takes no `execution`; the SDK lists a registered tool's own.
  slow.execution = { taskSupport: 'optional' }
  failing.execution = { taskSupport: 'required' }
  crashing.execution = { taskSupport: 'optional' }
}

/** A call of `protocol_error_job`, answered half a second later with a JSON-RPC error. */
export async function crashProtocolErrorJob(request: Request): Promise<Response | null> {
  if (request.method !== 'POST') return null
  const body = (await request
    .clone()
    .json()
    .catch(() => null)) as { id?: unknown; method?: unknown; params?: { name?: unknown } } | null
  if (body?.method !== 'tools/call' || body.params?.name !== 'protocol_error_job') return null
  await new Promise((resolve) => setTimeout(resolve, 500))
  return Response.json({
    jsonrpc: '2.0',
    id: body.id ?? null,
    error: { code: ProtocolErrorCode.InternalError, message: 'the job crashed' },
  })
}
