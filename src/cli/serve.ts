import { serve } from '@hono/node-server'
import { createApp } from '../server/app.ts'
import { checkIssuerAtStart } from '../server/auth/sso.ts'
import type { Config } from '../server/config/config.ts'
import { loadConfig } from '../server/config/load-config.ts'
import { DataDirLockedError } from '../server/db/data-dir-lock.ts'
import { type BuiltDeps, buildDeps } from '../server/deps.ts'
import { startHealthChecks } from '../server/mcp/servers/health-checker.ts'
import { CommandError } from './cli-error.ts'
import { startControlChannel } from './control-channel.ts'
import { describeRunning, parseFlags } from './run-command.ts'

export const SERVE_USAGE = 'switchboard serve [--port N]   start the API and web app'

/** Starts the whole product in one process; migrations run first. */
export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { port: { type: 'string' } })
  const config = loadConfig()
  if (values.port !== undefined) config.port = Number(values.port)
  const built = await openDeps(config)
  const { log } = built.deps
  // A provider that names another issuer is a mistake in switchboard.yaml: stop here, not at sign-in.
  await checkIssuerAtStart(built.deps).catch(async (error: unknown) => {
    await built.close()
    throw error
  })
  const app = createApp(built.deps)
  const healthChecks = startHealthChecks(built.deps, {
    intervalMs: config.mcp.healthCheckIntervalMs,
    idleIntervalMs: config.mcp.healthCheckIdleIntervalMs,
    idleAfterMs: config.mcp.userIdleAfterMs,
    maxConcurrency: config.mcp.healthCheckConcurrency,
    checkSharedAtStart: true,
  })
  // The embedded database is this process's alone: CLI commands do their writes through it.
  const control =
    built.deps.dbKind === 'pglite' ? await startControlChannel(built.deps, config.dataDir) : null
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
  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    server.close()
    try {
      await healthChecks.stop()
      await control?.close()
      // Writes the call log's last rows: nothing answered is lost on a clean stop.
      await built.close()
    } catch (err) {
      log.error({ err }, 'shutting down did not finish cleanly')
      exitCode = 1
    }
    process.exit(exitCode)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
  // Last resorts: every request, timer and loop catches its own errors, so reaching these is a
  // bug. A rejected promise nobody awaited is logged and the process goes on (its work already
  // failed); after an exception nothing is known about the state, so the process stops cleanly
  // (the call log flushed) with exit code 1 for its supervisor to restart it.
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'unhandled promise rejection (a bug: please report it)')
  })
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception (a bug: please report it); stopping')
    void stop('uncaughtException', 1)
  })
}

async function openDeps(config: Config): Promise<BuiltDeps> {
  try {
    return await buildDeps(config, { migrate: true })
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error
    const advice = 'stop it first, or give this one another SWITCHBOARD_DATA_DIR'
    throw new CommandError(describeRunning(config, error, advice))
  }
}
