/**
 * A server's resources for the user: the ones discovery stored (listed with the tools, kept
 * current by checks and `list_changed`), and reading one through the user's pooled session.
 *
 * @module
 */

import { reasonOf } from '../../../shared/error-reasons.ts'
import type { McpResourceContent, McpResourceList } from '../../../shared/mcp-resources.ts'
import {
  listResourcesOfServer,
  type McpResourceRow,
  searchResources,
} from '../../db/mcp-resources.ts'
import type { McpServerRow } from '../../db/mcp-servers.ts'
import { AppError } from '../../errors.ts'
import type { ServerConfig } from './endpoint-of-row.ts'
import { getServer } from './servers.ts'
import {
  requestOnSession,
  type SessionRequestDeps,
  searchEnabledServers,
} from './session-requests.ts'
import type { SessionDeps } from './sessions.ts'

/**
 * The most one read may bring back, all its parts together (text as UTF-8, bytes as sent in
 * base64): enough for documents and images to preview and attach, not a file store.
 */
export const MAX_RESOURCE_READ_BYTES = 4 * 1024 * 1024

/** The stored listing (resources, then templates) and what the last discovery noted about it. */
export interface ServerResources {
  resources: McpResourceRow[]
  templates: McpResourceRow[]
  skipped: McpResourceList['skipped']
  truncated: boolean
  error: string | null
}

export async function listServerResources(
  deps: Pick<SessionDeps, 'db'>,
  input: { userId: string; serverId: string },
): Promise<ServerResources> {
  const server = await getServer(deps, { userId: input.userId, id: input.serverId })
  const rows = await listResourcesOfServer(deps.db, { serverId: server.id })
  const config = server.config as ServerConfig
  return {
    resources: rows.filter((row) => row.kind === 'resource'),
    templates: rows.filter((row) => row.kind === 'template'),
    skipped: config.skippedResources ?? [],
    truncated: config.resourcesTruncated ?? false,
    error: config.resourceError ?? null,
  }
}

/**
 * The resources and templates of the user's switched-on servers matching `query`, each with its
 * server's name: what the chat's `@` offers. From the stored listings; no server is asked.
 */
export async function searchUserResources(
  deps: Pick<SessionDeps, 'db' | 'config'>,
  input: { userId: string; query: string; limit: number },
): Promise<{ row: McpResourceRow; serverName: string }[]> {
  return searchEnabledServers(deps, input.userId, (serverIds) =>
    searchResources(deps.db, { serverIds, query: input.query, limit: input.limit }),
  )
}

/**
 * Reads `uri` from the server on the user's session (`resources/read`). The server decides what
 * it serves: any URI it answers for, listed or made from a template. Refused on a switched-off
 * server; an answer larger than `MAX_RESOURCE_READ_BYTES` is refused, not cut. A read counts
 * against the user's tool-call rate limits (per user, per server, in flight).
 */
export async function readServerResource(
  deps: SessionRequestDeps,
  input: { userId: string; serverId: string; uri: string },
): Promise<{ server: McpServerRow; contents: McpResourceContent[] }> {
  const { server, result } = await requestOnSession(
    deps,
    {
      userId: input.userId,
      serverId: input.serverId,
      whenDisabled: (server) =>
        new AppError(
          'disabled',
          `the server "${server.name}" is switched off: switch it on to read its resources`,
          {
            details: { disabled: 'server' },
            reason: reasonOf('resource.serverDisabled', { server: server.name }),
          },
        ),
    },
    (client, options) => client.readResource({ uri: input.uri }, options),
  )
  const contents = result.contents.map(toContent)
  const bytes = contents.reduce(
    (sum, part) => sum + Buffer.byteLength(part.text ?? '') + (part.blob?.length ?? 0),
    0,
  )
  if (bytes > MAX_RESOURCE_READ_BYTES) {
    const message = `the resource is ${bytes} bytes; at most ${MAX_RESOURCE_READ_BYTES} are read`
    // The server's answer, not the request, is too large: a bad gateway answer, not a 413.
    throw new AppError('upstream_failed', message, {
      details: { maxBytes: MAX_RESOURCE_READ_BYTES },
      reason: reasonOf('resource.tooLarge', { bytes, limit: MAX_RESOURCE_READ_BYTES }),
    })
  }
  return { server, contents }
}

function toContent(part: {
  uri: string
  mimeType?: string | undefined
  text?: string
  blob?: string
}): McpResourceContent {
  const mimeType = typeof part.mimeType === 'string' ? part.mimeType.slice(0, 200) : null
  if (typeof part.blob === 'string') return { uri: part.uri, mimeType, blob: part.blob }
  return { uri: part.uri, mimeType, text: typeof part.text === 'string' ? part.text : '' }
}
