/**
 * One MCP handler per user of the endpoint: the SDK's `subscriptions/listen` streams hang off a
 * handler's event bus, and a change to one user's tools must reach that user's clients only.
 * A change (here, or signalled by another instance through the tool-access cache) tells the
 * user's open streams that their tools, prompts and resources changed; a shared server's change
 * tells everyone's.
 *
 * @module
 */

import { createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server'
import { LRUCache } from 'lru-cache'
import type { Logger } from '../log.ts'
import type { ToolAccessCache } from '../mcp/catalog/access-cache.ts'
import { type EndpointCaller, type EndpointDeps, endpointServer } from './endpoint-server.ts'

/** Users whose handler is kept; the least recently seen one's streams close past it (they reopen). */
const MAX_HANDLERS = 1000

export interface UserHandlers {
  of(userId: string): McpHttpHandler
}

export function createUserHandlers(
  deps: EndpointDeps & { toolAccess: ToolAccessCache; log: Logger },
): UserHandlers {
  const handlers = new LRUCache<string, McpHttpHandler>({
    max: MAX_HANDLERS,
    dispose: (handler) => {
      handler.close().catch(() => {})
    },
  })
  deps.toolAccess.onInvalidate((userId) => {
    const changed = userId === null ? [...handlers.values()] : [handlers.get(userId)]
    // One signal for the whole catalog: the tools, prompts or resources may have changed (a
    // server's re-listing drops it for all three), and a client re-lists what it shows.
    for (const handler of changed) {
      handler?.notify.toolsChanged()
      handler?.notify.promptsChanged()
      handler?.notify.resourcesChanged()
    }
  })
  return {
    of(userId) {
      let handler = handlers.get(userId)
      if (!handler) {
        handler = createMcpHandler(
          (ctx) => endpointServer(deps, ctx.authInfo?.extra?.caller as EndpointCaller),
          { onerror: (error) => deps.log.warn({ err: error }, 'MCP endpoint request failed') },
        )
        handlers.set(userId, handler)
      }
      return handler
    },
  }
}
