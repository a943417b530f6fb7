/**
 * A server's prompts for the user: the ones discovery stored (listed with the tools, kept current
 * by checks and `list_changed`), and getting one filled in (`prompts/get`) on the user's session.
 *
 * @module
 */

import { randomUUID } from 'node:crypto'
import { reasonOf } from '../../../shared/error-reasons.ts'
import {
  type McpPromptList,
  type McpPromptResult,
  PROMPT_TEXT_MAX_CHARS,
} from '../../../shared/mcp-prompts.ts'
import {
  findPrompt,
  listPromptsOfServer,
  type McpPromptRow,
  searchPrompts,
} from '../../db/mcp-prompts.ts'
import { AppError, ValidationError } from '../../errors.ts'
import type { ToolCallRuntime } from '../../toolcalls/runtime.ts'
import { sanitizeText } from '../../untrusted-text.ts'
import { toUpstreamError } from '../client/upstream-errors.ts'
import { endpointOfRow, type ServerConfig } from './endpoint-of-row.ts'
import { asMcpFailure } from './probe.ts'
import { getServer, listServers } from './servers.ts'
import { type SessionDeps, withSession } from './sessions.ts'

/** The most a filled-in prompt may bring back, as JSON: text for a conversation, not files. */
export const MAX_PROMPT_RESULT_BYTES = 1024 * 1024

/** The stored prompts and what the last discovery noted about them. */
export interface ServerPrompts {
  prompts: McpPromptRow[]
  skipped: McpPromptList['skipped']
  truncated: boolean
  error: string | null
}

export async function listServerPrompts(
  deps: Pick<SessionDeps, 'db'>,
  input: { userId: string; serverId: string },
): Promise<ServerPrompts> {
  const server = await getServer(deps, { userId: input.userId, id: input.serverId })
  const config = server.config as ServerConfig
  return {
    prompts: await listPromptsOfServer(deps.db, { serverId: server.id }),
    skipped: config.skippedPrompts ?? [],
    truncated: config.promptsTruncated ?? false,
    error: config.promptError ?? null,
  }
}

/**
 * The prompts of the user's switched-on servers matching `query`, each with its server's name:
 * what the chat's `/` offers. From the stored listings; no server is asked.
 */
export async function searchUserPrompts(
  deps: Pick<SessionDeps, 'db' | 'config'>,
  input: { userId: string; query: string; limit: number },
): Promise<{ row: McpPromptRow; serverName: string }[]> {
  const servers = (await listServers(deps, { userId: input.userId })).filter(
    (server) => server.enabled,
  )
  const names = new Map(servers.map((server) => [server.id, server.name]))
  const rows = await searchPrompts(deps.db, {
    serverIds: [...names.keys()],
    query: input.query,
    limit: input.limit,
  })
  return rows
    .map((row) => ({ row, serverName: names.get(row.server_id) ?? '' }))
    .sort((a, b) => a.serverName.localeCompare(b.serverName))
}

/**
 * Fills in the prompt `name` with `args` (`prompts/get`) on the user's session. A listed prompt's
 * required arguments are checked first (400 naming the field); refused on a switched-off server;
 * an answer over `MAX_PROMPT_RESULT_BYTES` is refused. Counts against the tool-call rate limits.
 */
export async function getServerPrompt(
  deps: SessionDeps & { toolCalls: Pick<ToolCallRuntime, 'limits'> },
  input: { userId: string; serverId: string; name: string; arguments: Record<string, string> },
): Promise<McpPromptResult> {
  const server = await getServer(deps, { userId: input.userId, id: input.serverId })
  if (!server.enabled) {
    throw new AppError(
      'disabled',
      `the server "${server.name}" is switched off: switch it on to use its prompts`,
      {
        details: { disabled: 'server' },
        reason: reasonOf('prompt.serverDisabled', { server: server.name }),
      },
    )
  }
  const listed = await findPrompt(deps.db, { serverId: server.id, name: input.name })
  const missing = (listed?.arguments ?? []).filter(
    (argument) => argument.required && !input.arguments[argument.name]?.trim(),
  )
  if (missing.length > 0) {
    throw new ValidationError(
      missing.map((argument) => ({
        field: `arguments.${argument.name}`,
        message: `"${argument.name}" is required`,
      })),
    )
  }
  const endpoint = endpointOfRow(deps, server)
  const timeout = endpoint.timeouts?.requestMs ?? deps.config.toolCalls.timeoutMs
  const release = await deps.toolCalls.limits.acquire({
    userId: input.userId,
    serverId: server.id,
    callId: randomUUID(),
  })
  let result: Awaited<ReturnType<McpClient['getPrompt']>>
  try {
    result = await withSession(deps, { userId: input.userId, row: server }, (connection) =>
      connection.client.getPrompt({ name: input.name, arguments: input.arguments }, { timeout }),
    )
  } catch (error) {
    throw error instanceof AppError ? error : toUpstreamError(asMcpFailure(error, endpoint), error)
  } finally {
    release()
  }
  const bytes = Buffer.byteLength(JSON.stringify(result.messages))
  if (bytes > MAX_PROMPT_RESULT_BYTES) {
    throw new AppError(
      'upstream_failed',
      `the prompt is ${bytes} bytes; at most ${MAX_PROMPT_RESULT_BYTES} are taken`,
      {
        details: { maxBytes: MAX_PROMPT_RESULT_BYTES },
        reason: reasonOf('prompt.tooLarge', { bytes, limit: MAX_PROMPT_RESULT_BYTES }),
      },
    )
  }
  const messages = result.messages.map((message) => ({
    role: message.role,
    content: message.content as { type: string } & Record<string, unknown>,
  }))
  const description =
    typeof result.description === 'string'
      ? sanitizeText(result.description, { maxChars: 2000, multiline: true })
      : (listed?.description ?? null)
  return {
    serverId: server.id,
    serverName: server.name,
    name: input.name,
    title: listed?.title ?? null,
    description: description || null,
    arguments: input.arguments,
    messages,
    text: promptText(messages),
  }
}

type McpClient = Parameters<Parameters<typeof withSession>[2]>[0]['client']

/**
 * The messages as the text of the user's turn: each message's text (an assistant's marked as
 * such), an embedded text resource inside `<resource>`, media and links named but not sent.
 * Cleaned of control and invisible characters, and cut at `PROMPT_TEXT_MAX_CHARS`.
 */
export function promptText(
  messages: readonly { role: string; content: { type: string } & Record<string, unknown> }[],
): string {
  const parts = messages.map(({ role, content }) => {
    const said = contentText(content)
    return role === 'assistant' ? `[assistant]\n${said}` : said
  })
  const text = sanitizeText(parts.join('\n\n'), { multiline: true })
  return Array.from(text).slice(0, PROMPT_TEXT_MAX_CHARS).join('')
}

function contentText(content: { type: string } & Record<string, unknown>): string {
  const str = (value: unknown) => (typeof value === 'string' ? value : '')
  switch (content.type) {
    case 'text':
      return str(content.text)
    case 'resource': {
      const resource = (content.resource ?? {}) as Record<string, unknown>
      const uri = str(resource.uri).replace(/["<>]/g, "'")
      if (typeof resource.text === 'string') {
        return `<resource uri="${uri}">\n${resource.text}\n</resource>`
      }
      return `[The binary resource ${uri} (${str(resource.mimeType) || 'no type'}) is left out.]`
    }
    case 'resource_link':
      return `[Resource link: ${str(content.name)} <${str(content.uri)}>]`
    case 'image':
    case 'audio':
      return `[An ${content.type} (${str(content.mimeType) || 'no type'}) is left out.]`
    default:
      return `[A "${content.type}" part is left out.]`
  }
}
