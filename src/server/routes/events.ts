import { createRoute } from '@hono/zod-openapi'
import { streamSSE } from 'hono/streaming'
import { AppEventSchema } from '../../shared/events.ts'
import { requireUser } from '../auth/require-user.ts'
import { createRouter, errorResponses, USER_SECURITY } from './router.ts'

// Proxies close idle connections; a comment line every 25 s keeps the stream open.
const HEARTBEAT_MS = 25_000

export const eventRoutes = createRouter()
eventRoutes.use('*', requireUser())
eventRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['Events'],
    security: USER_SECURITY,
    summary: 'Server-sent events for the caller: server status, tool list changes',
    responses: {
      200: {
        description: 'An event stream; each message is `event: <type>` with `data: AppEvent`',
        content: { 'text/event-stream': { schema: AppEventSchema } },
      },
      ...errorResponses(401),
    },
  }),
  (c) => {
    const { deps, user } = c.var
    return streamSSE(c, async (stream) => {
      const unsubscribe = deps.events.subscribe(user.id, (event) => {
        const sent = stream.writeSSE({ event: event.type, data: JSON.stringify(event) })
        // A disabled or deleted account's stream ends now, not at its next request.
        if (event.type === 'account.ended') {
          void sent.then(() => {
            stream.abort()
            return stream.close()
          })
        }
      })
      stream.onAbort(unsubscribe)
      await stream.writeSSE({ event: 'ready', data: '{}' })
      while (!stream.aborted) {
        await stream.sleep(HEARTBEAT_MS)
        if (!stream.aborted) await stream.write(': heartbeat\n\n')
      }
      unsubscribe()
    })
  },
)
