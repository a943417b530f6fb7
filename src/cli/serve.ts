import { serve } from '@hono/node-server'
import { createApp } from '../server/app.ts'
import { loadConfig } from '../server/config/load-config.ts'
import { buildDeps } from '../server/deps.ts'
import { startHealthChecks } from '../server/mcp/health-checker.ts'
import { parseFlags } from './run-command.ts'

export const SERVE_USAGE = 'switchboard serve [--port N]   start the API and web app'

/** Starts the whole product in one process; migrations run first. */
export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { port: { type: 'string' } })
  const config = loadConfig()
  if (values.port !== undefined) config.port = Number(values.port)
  const built = await buildDeps(config, { migrate: true })
  const { log } = built.deps
  const app = createApp(built.deps)
  const healthChecks = startHealthChecks(built.deps, {
    intervalMs: config.mcp.healthCheckIntervalMs,
  })
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    log.info(
      { port: info.port, database: built.deps.dbKind, dataDir: config.dataDir },
      `Switchboard ${config.version} listening on ${config.publicUrl}`,
    )
  })
  // Keep idle connections longer than the proxies in front usually do (60 s): with Node's 5 s a
  // proxy reuses a socket the app just closed and answers 502.
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 65_000
    server.headersTimeout = 66_000
  }
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    healthChecks.stop()
    server.close()
    await built.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}
