/**
 * What reading a resource, filling in a prompt and searching across servers share: requests to
 * one of the user's servers outside a tool call, and the names of the servers a user may use.
 *
 * @module
 */

import { randomUUID } from 'node:crypto'
import type { McpServerRow } from '../../db/mcp-servers.ts'
import { AppError } from '../../errors.ts'
import type { ToolCallRuntime } from '../../toolcalls/runtime.ts'
import { toUpstreamError } from '../client/upstream-errors.ts'
import { endpointOfRow } from './endpoint-of-row.ts'
import { asMcpFailure } from './probe.ts'
import { getServer, listServers } from './servers.ts'
import { type SessionDeps, withSession } from './sessions.ts'

export type SessionRequestDeps = SessionDeps & { toolCalls: Pick<ToolCallRuntime, 'limits'> }

type McpClient = Parameters<Parameters<typeof withSession>[2]>[0]['client']

/**
 * Runs `request` on the user's pooled session with the server: 404 for a server not theirs,
 * `whenDisabled` for a switched-off one; it takes from the tool-call rate limits like a call
 * (429 past them); a failure comes back as the upstream error it is.
 */
export async function requestOnSession<T>(
  deps: SessionRequestDeps,
  input: {
    userId: string
    serverId: string
    whenDisabled: (server: McpServerRow) => AppError
  },
  request: (client: McpClient, options: { timeout: number }) => Promise<T>,
): Promise<{ server: McpServerRow; result: T }> {
  const server = await getServer(deps, { userId: input.userId, id: input.serverId })
  if (!server.enabled) throw input.whenDisabled(server)
  const endpoint = endpointOfRow(deps, server)
  const timeout = endpoint.timeouts?.requestMs ?? deps.config.toolCalls.timeoutMs
  const release = await deps.toolCalls.limits.acquire({
    userId: input.userId,
    serverId: server.id,
    callId: randomUUID(),
  })
  try {
    const result = await withSession(deps, { userId: input.userId, row: server }, (connection) =>
      request(connection.client, { timeout }),
    )
    return { server, result }
  } catch (error) {
    throw error instanceof AppError ? error : toUpstreamError(asMcpFailure(error, endpoint), error)
  } finally {
    release()
  }
}

/**
 * Rows of the user's switched-on servers, found by `search` among their ids, each with its
 * server's name, by server name (the server's own order kept within each).
 */
export async function searchEnabledServers<R extends { server_id: string }>(
  deps: Pick<SessionDeps, 'db' | 'config'>,
  userId: string,
  search: (serverIds: string[]) => Promise<R[]>,
): Promise<{ row: R; serverName: string }[]> {
  const servers = (await listServers(deps, { userId })).filter((server) => server.enabled)
  const names = new Map(servers.map((server) => [server.id, server.name]))
  const rows = await search([...names.keys()])
  return rows
    .map((row) => ({ row, serverName: names.get(row.server_id) ?? '' }))
    .sort((a, b) => a.serverName.localeCompare(b.serverName))
}
