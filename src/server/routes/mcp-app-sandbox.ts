import { Hono } from 'hono'
import { McpAppCspSchema } from '../../shared/mcp-apps.ts'
import type { Env } from '../env.ts'
import { AppError } from '../errors.ts'
import { SANDBOX_PAGE_HTML } from '../mcp/apps/sandbox-page.ts'
import { buildSandboxPolicy } from '../mcp/apps/sandbox-policy.ts'

/**
 * `GET /mcp-app-sandbox?csp=…`: the static page MCP Apps run in. Its CSP comes from the `csp`
 * the app's resource declared (checked origin by origin), so the page itself holds nothing.
 * No cookie is needed and none is read.
 */
export const mcpAppSandboxRoutes = new Hono<Env>()
mcpAppSandboxRoutes.get('/', (c) => {
  let raw: unknown = {}
  try {
    raw = JSON.parse(c.req.query('csp') ?? '{}')
  } catch {
    throw new AppError('bad_request', 'csp is not JSON')
  }
  const csp = McpAppCspSchema.safeParse(raw)
  if (!csp.success) throw new AppError('bad_request', 'csp holds something other than origins')
  c.header('Content-Security-Policy', buildSandboxPolicy(csp.data))
  c.header('Cache-Control', 'no-store')
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('Referrer-Policy', 'no-referrer')
  c.header('Cross-Origin-Resource-Policy', 'same-origin')
  return c.html(SANDBOX_PAGE_HTML)
})
