import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { Hono } from 'hono'
import type { Env } from '../env.ts'
import { contentSecurityPolicy, DOCS_POLICY } from './middleware/content-security-policy.ts'

const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))

// Served from our own origin, so the reference works offline and under a strict CSP.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>`

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true })`

/** `GET /api/openapi.json` (generated from the routes' zod schemas) and `GET /api/docs`. */
export function mountDocs(app: OpenAPIHono<Env>, info: { version: string }): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A personal API token (Settings → API tokens, or `switchboard token create`)',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'switchboard.session_token',
  })
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: info.version,
      description:
        'Self-hosted LLM chat over your own MCP servers. Errors are `{ error: { code, message, details? } }`.',
    },
  })
  const docs = new Hono<Env>()
  docs.use(contentSecurityPolicy(DOCS_POLICY))
  docs.get('/', (c) => c.html(PAGE))
  docs.get('/init.js', (c) => c.body(INIT, 200, { 'content-type': 'text/javascript' }))
  docs.use(
    '/assets/*',
    serveStatic({
      root: SWAGGER_DIR,
      rewriteRequestPath: (p) => p.replace(/^\/api\/docs\/assets/, ''),
    }),
  )
  app.route('/api/docs', docs)
}
