/**
 * A server's prompts for the user: the ones discovery stored (listed with the tools, kept current
 * by checks and `list_changed`), and getting one filled in (`prompts/get`) on the user's session.
 *
 * @module
 */

import { isInputRequiredResult } from '@modelcontextprotocol/client'
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
import { sanitizeText } from '../../untrusted-text.ts'
import {
  type RelayedInputRequired,
  relayedOf,
  relayParams,
  type UpstreamRelay,
} from '../client/relay.ts'
import type { ServerConfig } from './endpoint-of-row.ts'
import { getServer } from './servers.ts'
import {
  requestOnSession,
  type SessionRequestDeps,
  searchEnabledServers,
} from './session-requests.ts'
import type { SessionDeps } from './sessions.ts'

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
  return searchEnabledServers(deps, input.userId, (serverIds) =>
    searchPrompts(deps.db, { serverIds, query: input.query, limit: input.limit }),
  )
}

/**
 * Fills in the prompt `name` with `args` (`prompts/get`) on the user's session. A listed prompt's
 * required arguments are checked first (400 naming the field); refused on a switched-off server;
 * an answer over `MAX_PROMPT_RESULT_BYTES` is refused. Counts against the tool-call rate limits.
 */
interface PromptRequest {
  userId: string
  serverId: string
  name: string
  arguments: Record<string, string>
}

export async function getServerPrompt(
  deps: SessionRequestDeps,
  input: PromptRequest,
): Promise<McpPromptResult>
/** With a `relay`, the server may answer with questions for the caller's client. */
export async function getServerPrompt(
  deps: SessionRequestDeps,
  input: PromptRequest,
  relay: UpstreamRelay | undefined,
): Promise<McpPromptResult | { inputRequired: RelayedInputRequired }>
export async function getServerPrompt(
  deps: SessionRequestDeps,
  input: PromptRequest,
  relay?: UpstreamRelay,
): Promise<McpPromptResult | { inputRequired: RelayedInputRequired }> {
  // Whose server first: another user's prompts must not answer (404, not a 400 about arguments).
  const owned = await getServer(deps, { userId: input.userId, id: input.serverId })
  const listed = await findPrompt(deps.db, { serverId: owned.id, name: input.name })
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
  const { server, result } = await requestOnSession(
    deps,
    {
      userId: input.userId,
      serverId: input.serverId,
      whenDisabled: (server) =>
        new AppError(
          'disabled',
          `the server "${server.name}" is switched off: switch it on to use its prompts`,
          {
            details: { disabled: 'server' },
            reason: reasonOf('prompt.serverDisabled', { server: server.name }),
          },
        ),
    },
    (client, options) =>
      client.getPrompt(
        { name: input.name, arguments: input.arguments, ...(relay ? relayParams(relay) : {}) },
        relay ? { ...options, allowInputRequired: true } : options,
      ),
  )
  if (isInputRequiredResult(result)) return { inputRequired: relayedOf(result) }
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
