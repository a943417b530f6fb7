import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import { MCP_APP_SANDBOX_PATH } from '../shared/mcp-apps.ts'
import type { AppDeps } from './app-deps.ts'
import { maxUploadBytes } from './chat/attachments/upload.ts'
import type { Env } from './env.ts'
import { AppError, RateLimitedError } from './errors.ts'
import { accountLinkRoutes } from './routes/account-links.ts'
import { adminRoutes } from './routes/admin.ts'
import { adminModelRoutes } from './routes/admin-models.ts'
import { adminUsageRoutes } from './routes/admin-usage.ts'
import { adminUserRoutes } from './routes/admin-users.ts'
import { attachmentRoutes } from './routes/attachments.ts'
import { auditRoutes } from './routes/audit.ts'
import { authRoutes } from './routes/auth.ts'
import { chatRoutes } from './routes/chat.ts'
import { conversationRoutes } from './routes/conversations.ts'
import { mountDocs } from './routes/docs.ts'
import { elicitationRoutes } from './routes/elicitations.ts'
import { eventRoutes } from './routes/events.ts'
import { healthRoutes } from './routes/health.ts'
import { mcpAppSandboxRoutes } from './routes/mcp-app-sandbox.ts'
import { mcpAppRoutes } from './routes/mcp-apps.ts'
import { mcpClientRoutes } from './routes/mcp-clients.ts'
import { mcpCompletionRoutes } from './routes/mcp-completions.ts'
import {
  MCP_ENDPOINT_PATH,
  mcpEndpointInfoRoutes,
  mcpEndpointRoutes,
} from './routes/mcp-endpoint.ts'
import { mcpOAuthRoutes } from './routes/mcp-oauth.ts'
import { mcpProfileRoutes } from './routes/mcp-profiles.ts'
import { mcpPromptRoutes, userPromptRoutes } from './routes/mcp-prompts.ts'
import { mcpResourceRoutes, userResourceRoutes } from './routes/mcp-resources.ts'
import { mcpServerRoutes } from './routes/mcp-servers.ts'
import { metricsRoutes } from './routes/metrics.ts'
import { boundedBody, nulFreeUrl } from './routes/middleware/bounded-body.ts'
import { compressApi } from './routes/middleware/compress-api.ts'
import { API_POLICY, contentSecurityPolicy } from './routes/middleware/content-security-policy.ts'
import { csrfGuard } from './routes/middleware/csrf.ts'
import { httpMetrics } from './routes/middleware/http-metrics.ts'
import { httpTracing } from './routes/middleware/http-tracing.ts'
import { requestContext } from './routes/middleware/request-context.ts'
import { modelFavouriteRoutes, modelRoutes } from './routes/models.ts'
import { OAUTH_CLIENT_POSTS, oauthProviderRoutes } from './routes/oauth-provider.ts'
import { presetRoutes } from './routes/presets.ts'
import { ssoCallbackRoutes, ssoRoutes } from './routes/sso.ts'
import { tokenRoutes } from './routes/tokens.ts'
import { toolCallHistoryRoutes, toolCallRoutes } from './routes/tool-calls.ts'
import { userModelKeyRoutes } from './routes/user-model-key.ts'
import { webRoutes } from './routes/web.ts'

/** Assembles the app from its parts: middleware, sub-apps, docs, the SPA, one error handler. */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<Env>()
  app.use(httpTracing(deps.tracing.http))
  app.use(httpMetrics(deps.metrics.http))
  app.use(requestId())
  app.use(requestContext(deps))
  app.use(secureHeaders({ crossOriginEmbedderPolicy: false }))
  app.use(contentSecurityPolicy(API_POLICY, { fallback: true }))
  app.use(
    '/api/*',
    csrfGuard({ trustedOrigins: [deps.config.publicUrl], cookielessPaths: OAUTH_CLIENT_POSTS }),
  )
  app.use('/api/*', boundedBody(bodyLimitsOf(deps.config)))
  app.use('/api/*', compressApi())
  // The endpoint reads its own body (the SDK bounds it); its path still reaches the database.
  app.use(`${MCP_ENDPOINT_PATH}/*`, nulFreeUrl())

  app.route('/api/health', healthRoutes)
  app.route('/', oauthProviderRoutes(deps))
  app.route('/api/auth', authRoutes)
  app.route('/api/auth/sso', ssoRoutes)
  app.route('/', ssoCallbackRoutes)
  app.route('/api/auth', accountLinkRoutes)
  app.route('/api/user/tokens', tokenRoutes)
  app.route('/api', mcpOAuthRoutes)
  app.route('/api/user/mcp-servers', mcpServerRoutes)
  app.route('/api/user/mcp-servers', mcpResourceRoutes)
  app.route('/api/user/mcp-servers', mcpCompletionRoutes)
  app.route('/api/user/mcp-servers', mcpPromptRoutes)
  app.route('/api/user/mcp-prompts', userPromptRoutes)
  app.route('/api/user/mcp-resources', userResourceRoutes)
  app.route('/api/user/mcp-servers', mcpAppRoutes)
  app.route('/api/user/mcp-endpoint', mcpEndpointInfoRoutes)
  app.route('/api/user/mcp-profiles', mcpProfileRoutes)
  app.route('/api/user/mcp-clients', mcpClientRoutes)
  app.route('/api/events', eventRoutes)
  app.route('/api/chat/tool-call', toolCallRoutes)
  app.route('/api/chat/models', modelRoutes)
  app.route('/api/chat', chatRoutes)
  app.route('/api/conversations', conversationRoutes)
  app.route('/api/user/mcp-tool-calls', toolCallHistoryRoutes)
  app.route('/api/user/audit', auditRoutes)
  app.route('/api/user/elicitations', elicitationRoutes)
  app.route('/api/user/model-favourites', modelFavouriteRoutes)
  app.route('/api/user/presets', presetRoutes)
  app.route('/api/user/attachments', attachmentRoutes)
  app.route('/api/user/model-key', userModelKeyRoutes)
  app.route('/api/admin/usage', adminUsageRoutes)
  app.route('/api/admin', adminModelRoutes)
  app.route('/api/admin', adminRoutes)
  app.route('/api/admin', adminUserRoutes)
  mountDocs(app, { version: deps.config.version })
  app.route('/metrics', metricsRoutes)

  app.all('/api/*', (c) =>
    errorReply(c, new AppError('not_found', `no route ${c.req.method} ${c.req.path}`)),
  )
  app.route(MCP_APP_SANDBOX_PATH, mcpAppSandboxRoutes)
  app.route(MCP_ENDPOINT_PATH, mcpEndpointRoutes(deps))
  app.route('/', webRoutes(deps.config.webDir))
  app.onError((error, c) => errorReply(c, error))
  return app
}

/** The tool-call envelope around the arguments (ids, mode, source) is small; leave room for it. */
const TOOL_CALL_ENVELOPE_BYTES = 64 * 1024
/** A multipart upload's boundaries and part headers around the file. */
const MULTIPART_ENVELOPE_BYTES = 64 * 1024

function bodyLimitsOf(config: AppDeps['config']) {
  return {
    maxBytes: config.limits.bodyBytes,
    byPath: {
      '/api/chat/stream': config.limits.chatBodyBytes,
      '/api/chat/tool-call': config.toolCalls.maxArgumentBytes + TOOL_CALL_ENVELOPE_BYTES,
      // The file's own cap (by its kind) is checked once it is read; this bounds the read.
      '/api/user/attachments': maxUploadBytes(config) + MULTIPART_ENVELOPE_BYTES,
    },
  }
}

/** The one place errors become replies: known ones by the code table, the rest as a bare 500. */
function errorReply(c: Context<Env>, error: unknown) {
  if (error instanceof AppError) {
    if (error instanceof RateLimitedError) c.header('retry-after', String(error.retryAfterSeconds))
    const { code, message, reason, details } = error
    return c.json(
      { error: { code, message, ...(reason ? { reason } : {}), ...(details ? { details } : {}) } },
      error.status,
    )
  }
  if (error instanceof HTTPException && error.status < 500) {
    // hono's own refusals, e.g. a body that is not JSON
    return c.json({ error: { code: 'bad_request', message: error.message } }, error.status)
  }
  c.var.log.error({ err: error }, 'unhandled error')
  const requestIdText = c.var.requestId ? ` (request ${c.var.requestId})` : ''
  return c.json({ error: { code: 'internal', message: `internal error${requestIdText}` } }, 500)
}
