/**
 * Suggestions for a prompt's argument or a template's variable (`completion/complete`), asked of
 * the server on the user's pooled session as they type.
 *
 * @module
 */

import type { Completion, CompletionRequest } from '../../../shared/mcp-completions.ts'
import { AppError } from '../../errors.ts'
import { sanitizeText } from '../../untrusted-text.ts'
import { toUpstreamError } from '../client/upstream-errors.ts'
import { endpointOfRow } from './endpoint-of-row.ts'
import { asMcpFailure } from './probe.ts'
import { getServer } from './servers.ts'
import { type SessionDeps, withSession } from './sessions.ts'

const MAX_VALUES = 100
const NONE: Completion = { values: [], total: null, hasMore: false }

/**
 * The server's suggestions; none when it is switched off or offers no completions (a form then
 * simply has no suggestions). Not counted against the call limits: it is typing, not work.
 */
export async function completeArgument(
  deps: SessionDeps,
  input: { userId: string; serverId: string; request: CompletionRequest },
): Promise<Completion> {
  const server = await getServer(deps, { userId: input.userId, id: input.serverId })
  if (!server.enabled) return NONE
  const endpoint = endpointOfRow(deps, server)
  const timeout = endpoint.timeouts?.requestMs ?? deps.config.toolCalls.timeoutMs
  const { ref, argument, context } = input.request
  try {
    return await withSession(deps, { userId: input.userId, row: server }, async (connection) => {
      if (!connection.client.getServerCapabilities()?.completions) return NONE
      const result = await connection.client.complete(
        { ref, argument, ...(context ? { context } : {}) },
        { timeout },
      )
      const values = result.completion.values
        .slice(0, MAX_VALUES)
        .map((value) => sanitizeText(String(value), { maxChars: 1000 }))
      const total = result.completion.total
      return {
        values,
        total: typeof total === 'number' && Number.isInteger(total) ? total : null,
        hasMore: result.completion.hasMore === true,
      }
    })
  } catch (error) {
    throw error instanceof AppError ? error : toUpstreamError(asMcpFailure(error, endpoint), error)
  }
}
