import { dynamicTool, jsonSchema, type ToolSet, type UIMessageStreamWriter } from 'ai'
import { asksFirst } from '../../shared/approval.ts'
import { type ChatToolMetadata, ChatToolOutputSchema } from '../../shared/chat.ts'
import type { ErrorReason } from '../../shared/error-reasons.ts'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/database.ts'
import type { McpToolWithServer } from '../db/mcp-tools.ts'
import { AppError } from '../errors.ts'
import type { ToolAccessCache } from '../mcp/catalog/access-cache.ts'
import { listOfferableTools } from '../mcp/catalog/user-tools.ts'
import { startToolCall, type ToolCallDeps } from '../toolcalls/tool-call-service.ts'
import { sanitizeText } from '../untrusted-text.ts'
import { assignFunctionNames } from './tool-names.ts'
import { chatOutputOf, refusalOf, renderForModel, ToolCallFailure } from './tool-results.ts'
import { toProviderSchema } from './tool-schema.ts'
import type { SearchableTool } from './tool-search.ts'
import type { ChatUIMessage } from './ui-messages.ts'

/** OpenAI caps a function description at 1024 characters. */
const DESCRIPTION_MAX = 1_024

/** What a tool's `execute` needs: given as arguments, never read from globals. */
export interface ToolContext {
  deps: ToolCallDeps
  user: { id: string; email: string }
  conversationId: string
  /** The assistant message the calls belong to (the tool-call log keeps it). */
  messageId: string
  /** Where progress and the call-log link go, as data parts. */
  writer: UIMessageStreamWriter<ChatUIMessage>
  /**
   * Tool calls whose approval the user answered in this request. They stay "needing approval"
   * whatever the policy says now: the AI SDK denies an approval for a call that would not need
   * one, which would turn "approve + always allow" into a denial.
   */
  approved: ReadonlySet<string>
  ip?: string | null
}

/**
 * The user's offerable tools as a model is offered them, independent of the turn: provider-safe
 * names and schemas, sanitized text, the approval policy. Built once per change of the user's
 * tools (`offeredToolsFor` caches it), bound to a turn by `exposeTools`.
 */
export interface ToolCatalog {
  /** Function name -> the tool row it calls. */
  byName: Map<string, McpToolWithServer>
  /** Every tool as the model is offered it (and `search_tools` describes it). */
  tools: OfferedTool[]
}

/** The catalog is cached with the user's tool access: dropped on every change to their tools. */
export interface ToolCatalogDeps {
  db: Db
  config: Pick<Config, 'mcpServers'>
  toolAccess: ToolAccessCache
}

export interface OfferedTool extends SearchableTool {
  row: McpToolWithServer
  asksApproval: boolean
}

/**
 * The catalog of the user's offerable tools, from the tool cache or built from the database.
 * `serverIds` (a conversation's or an endpoint profile's servers) keeps only those servers'
 * tools, and `toolIds` (a profile's single tools) those tools besides; null: all of them.
 */
export async function offeredToolsFor(
  deps: ToolCatalogDeps,
  userId: string,
  options: { serverIds?: readonly string[] | null; toolIds?: readonly string[] } = {},
): Promise<ToolCatalog> {
  const only = options.serverIds ? new Set(options.serverIds) : null
  const single = only && options.toolIds?.length ? new Set(options.toolIds) : null
  // Each choice of servers and tools is its own entry: names are assigned within the tools offered.
  const key = only
    ? `chat:offered:${[...only].sort().join(',')}${single ? `:tools:${[...single].sort().join(',')}` : ''}`
    : 'chat:offered'
  const catalog = await deps.toolAccess.remember(
    userId,
    key,
    async () => {
      const rows = await listOfferableTools(deps, { userId })
      return buildCatalog(
        only ? rows.filter((row) => only.has(row.server_id) || single?.has(row.id)) : rows,
      )
    },
    (value) => value.tools.length,
  )
  return catalog ?? buildCatalog([])
}

export function buildCatalog(rows: readonly McpToolWithServer[]): ToolCatalog {
  const byName = assignFunctionNames(rows)
  const tools = [...byName].map(
    ([name, row]): OfferedTool => ({
      name,
      row,
      toolName: row.name,
      serverName: row.server_name,
      title: row.title ? sanitizeText(row.title, { maxChars: 200 }) : null,
      description: describeTool(row),
      parameters: toProviderSchema(row.input_schema),
      asksApproval: requiresApproval(row),
    }),
  )
  return { byName, tools }
}

/**
 * The catalog's tools as AI SDK tools for this turn: an `execute` that goes through the
 * tool-call service (authorization, validation, limits, logging) with this conversation's ids.
 */
export function exposeTools(catalog: ToolCatalog, ctx: ToolContext): ToolSet {
  const tools: ToolSet = {}
  for (const entry of catalog.tools) {
    const { row } = entry
    const metadata: ChatToolMetadata = {
      toolId: row.id,
      serverId: row.server_id,
      serverName: row.server_name,
      toolName: row.name,
    }
    tools[entry.name] = dynamicTool({
      title: entry.title ?? `${row.server_name} / ${row.name}`,
      description: entry.description,
      inputSchema: jsonSchema(entry.parameters as never),
      metadata,
      needsApproval: (_input, { toolCallId }) => entry.asksApproval || ctx.approved.has(toolCallId),
      execute: (input, options) => callTool(ctx, row, input, options),
      toModelOutput: ({ output }) => {
        const parsed = ChatToolOutputSchema.safeParse(output)
        const max = ctx.deps.config.chat.maxToolResultChars
        return {
          type: 'text',
          value: parsed.success ? renderForModel(parsed.data, max) : JSON.stringify(output ?? null),
        }
      },
    })
  }
  return tools
}

/** Whether a call of this tool waits for the user's approval (one rule: `asksFirst`). */
export function requiresApproval(
  row: Pick<McpToolWithServer, 'approval_policy' | 'annotations'>,
): boolean {
  return asksFirst(row.approval_policy, row.annotations as Record<string, unknown> | null)
}

function describeTool(row: McpToolWithServer): string {
  const text = row.description ?? row.title ?? ''
  const described = sanitizeText(text, { maxChars: DESCRIPTION_MAX, multiline: true })
  return described || `The "${row.name}" tool of the "${row.server_name}" server.`
}

async function callTool(
  ctx: ToolContext,
  row: McpToolWithServer,
  input: unknown,
  options: { toolCallId: string; abortSignal?: AbortSignal },
) {
  const { toolCallId } = options
  // The reason travels with the link so the card says the failure in the reader's language.
  const link = (callId: string | null, status: string, reason?: ErrorReason | null) =>
    ctx.writer.write({
      type: 'data-tool-call',
      id: toolCallId,
      data: { toolCallId, callId, status, ...(reason ? { reason } : {}) },
    })
  let outcome: Awaited<ReturnType<typeof startToolCall>>
  try {
    outcome = await startToolCall(ctx.deps, {
      user: ctx.user,
      target: { toolId: row.id },
      arguments: isRecord(input) ? input : {},
      source: 'chat',
      mode: 'sync',
      asyncAfterMs: null,
      conversationId: ctx.conversationId,
      messageId: ctx.messageId,
      ip: ctx.ip ?? null,
      ...(options.abortSignal ? { signal: options.abortSignal } : {}),
      onProgress: (progress) =>
        ctx.writer.write({
          type: 'data-tool-progress',
          id: toolCallId,
          data: { toolCallId, ...progress },
        }),
    })
  } catch (error) {
    const refusal = refusalOf(error)
    if (!refusal) {
      ctx.deps.log.error({ err: error, tool: row.name }, 'chat tool call failed')
      link(null, 'failed')
      throw new ToolCallFailure('Tool call failed: internal error.', {
        callId: null,
        status: 'failed',
      })
    }
    link(null, refusal.status, error instanceof AppError ? error.reason : null)
    throw refusal
  }
  link(outcome.call.id, outcome.call.status, outcome.call.errorReason)
  if (outcome.kind === 'accepted') {
    throw new ToolCallFailure('Tool call still running: its result will be in the tool-call log.', {
      callId: outcome.call.id,
      status: outcome.call.status,
    })
  }
  return chatOutputOf(outcome.call, ctx.deps.config.chat.maxToolResultChars)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
