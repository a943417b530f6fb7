/**
 * The user's personal MCP endpoint (issue 15) as an MCP server: one low-level SDK `Server` per
 * request (both eras are served by `createMcpHandler`, routes/mcp-endpoint.ts), listing the
 * user's offerable tools under the names the chat uses and calling them through the one proxy
 * (ownership, switches, changed tools, argument validation, limits, the call log with source
 * `mcp` and the client's name).
 *
 * @module
 */

import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server'
import type { ToolCallView } from '../../../shared/tool-calls.ts'
import { offeredToolsFor, type ToolCatalogDeps } from '../../chat/expose-tools.ts'
import { AppError } from '../../errors.ts'
import type { ToolCallDeps } from '../../toolcalls/tool-call-service.ts'
import { startToolCall } from '../../toolcalls/tool-call-service.ts'
import { sanitizeText } from '../../untrusted-text.ts'

export type EndpointDeps = ToolCallDeps & ToolCatalogDeps

export interface EndpointCaller {
  user: { id: string; email: string }
  ip: string | null
  /** What the HTTP request says about the client (its User-Agent), when the protocol does not. */
  userAgent: string | null
}

const INSTRUCTIONS =
  "Your tools from Switchboard: every switched-on tool of your MCP servers, named server__tool. Calls go through Switchboard's approvals, rate limits and call log."

/** A fresh server for one request of `caller` (the factory `createMcpHandler` calls). */
export function endpointServer(deps: EndpointDeps, caller: EndpointCaller): Server {
  const server = new Server(
    { name: 'switchboard', title: 'Switchboard', version: '1.0.0' },
    // No listChanged yet: the change notices would need a per-user event bus (issue 15, next).
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  )

  server.setRequestHandler('tools/list', async () => {
    const catalog = await offeredToolsFor(deps, caller.user.id)
    return {
      tools: catalog.tools.map((tool) => ({
        name: tool.name,
        title: tool.title ?? `${tool.serverName} / ${tool.toolName}`,
        description: tool.description,
        inputSchema: tool.parameters as { type: 'object' },
        ...(tool.row.annotations ? { annotations: tool.row.annotations } : {}),
      })),
    }
  })

  server.setRequestHandler('tools/call', async (request, ctx) => {
    const catalog = await offeredToolsFor(deps, caller.user.id)
    const tool = catalog.tools.find((entry) => entry.name === request.params.name)
    if (!tool) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `no tool named "${request.params.name}" is switched on for you in Switchboard`,
      )
    }
    if (tool.asksApproval) {
      return errorResult(
        `"${tool.toolName}" of "${tool.serverName}" asks for your approval before it runs, and ` +
          'this client cannot be asked. To allow it here, set its approval to "Never ask" on ' +
          "the server's page in Switchboard.",
      )
    }
    const progressToken = request.params._meta?.progressToken
    try {
      const outcome = await startToolCall(deps, {
        user: caller.user,
        target: { toolId: tool.row.id },
        arguments: (request.params.arguments ?? {}) as Record<string, unknown>,
        source: 'mcp',
        clientName: clientNameOf(ctx.mcpReq.envelope, ctx.mcpReq._meta, caller.userAgent),
        mode: 'sync',
        asyncAfterMs: null,
        ip: caller.ip,
        signal: ctx.mcpReq.signal,
        ...(progressToken !== undefined
          ? {
              onProgress: (progress) => {
                void ctx.mcpReq
                  .notify({
                    method: 'notifications/progress',
                    params: {
                      progressToken,
                      progress: progress.progress,
                      ...(progress.total !== undefined ? { total: progress.total } : {}),
                      ...(progress.message ? { message: progress.message } : {}),
                    },
                  })
                  .catch(() => {})
              },
            }
          : {}),
      })
      return resultOf(outcome.call)
    } catch (error) {
      // A refusal (invalid arguments, rate limited, switched off…) is the tool's error to the
      // client, in words it can show; anything else is the SDK's internal error.
      if (error instanceof AppError) return errorResult(error.message)
      throw error
    }
  })

  return server
}

/** The call as the client reads it: the tool's own result, or what went wrong as an error. */
function resultOf(call: ToolCallView) {
  if (call.status === 'succeeded' && call.output) {
    return {
      content: call.output.content as never[],
      ...(call.output.structuredContent
        ? { structuredContent: call.output.structuredContent }
        : {}),
      ...(call.output.isError ? { isError: true } : {}),
    }
  }
  if (call.output?.isError) {
    return { content: call.output.content as never[], isError: true }
  }
  return errorResult(call.error ?? `the call ended: ${call.status}`)
}

function errorResult(text: string) {
  return { content: [{ type: 'text' as const, text }], isError: true }
}

/**
 * The name the client gave itself: `clientInfo` of a 2026-07-28 request, else its User-Agent
 * (a 2025 client said it only in `initialize`, which a stateless endpoint does not keep).
 */
function clientNameOf(envelope: unknown, meta: unknown, userAgent: string | null): string | null {
  const info =
    pick(envelope, 'io.modelcontextprotocol/clientInfo') ??
    pick(meta, 'io.modelcontextprotocol/clientInfo')
  const named = pick(info, 'title') ?? pick(info, 'name')
  const raw = typeof named === 'string' ? named : userAgent
  return raw ? sanitizeText(raw, { maxChars: 100 }) || null : null
}

function pick(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined
}
