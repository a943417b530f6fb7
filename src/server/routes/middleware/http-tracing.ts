import { createMiddleware } from 'hono/factory'
import { routePath } from 'hono/route'
import type { HttpTracing } from '../../observability/tracing.ts'

/**
 * Handles every request in its trace span, named by the route pattern that answered
 * (`GET /api/user/mcp-servers/:id`, as `httpMetrics` labels it), continuing the caller's trace
 * when it sends `traceparent`. The span ends with the response's headers: a streamed chat answer
 * goes on in its `chat.turn` span. Install first: errors are already replies here (hono applies
 * `onError` inside the chain), and `c.error` is what a 5xx reply stands for.
 */
export function httpTracing(tracing: HttpTracing) {
  return createMiddleware((c, next) =>
    tracing.request(
      { method: c.req.method, path: c.req.path, header: (name) => c.req.header(name) },
      async () => {
        await next()
        return { route: routePath(c), status: c.res.status, error: c.error }
      },
    ),
  )
}
