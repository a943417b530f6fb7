import { type ParseArgsConfig, parseArgs } from 'node:util'
import type { Config } from '../server/config/config.ts'
import { loadConfig } from '../server/config/load-config.ts'
import { DataDirLockedError } from '../server/db/data-dir-lock.ts'
import { type BuiltDeps, buildDeps } from '../server/deps.ts'
import { createLogger } from '../server/log.ts'
import { CommandError, UsageError } from './cli-error.ts'
import { callInstance, controlSocketPath, InstanceUnreachableError } from './control-channel.ts'
import {
  type OperationInput,
  type OperationName,
  type OperationOutput,
  performOperation,
} from './operations.ts'

/** Parses flags strictly: an unknown flag or a missing value is a UsageError, not a guess. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

export function requireFlag(value: string | boolean | undefined, name: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`)
  return value
}

export interface WithDepsOptions<T> {
  migrate?: boolean
  /**
   * What to do instead while another process has the embedded database. Without it the command
   * stops with a message that asks the operator to stop that process first.
   */
  whileRunning?: (locked: DataDirLockedError, config: Config) => Promise<T>
}

/**
 * Builds deps for a one-shot command (quiet logs, no web), runs it, and always closes the
 * database so the process can exit.
 */
export async function withDeps<T>(
  fn: (built: BuiltDeps, config: Config) => Promise<T>,
  options: WithDepsOptions<T> = {},
): Promise<T> {
  const config = loadConfig()
  const log = createLogger({ log: { ...config.log, level: 'warn' } }, { stream: 'stderr' })
  let built: BuiltDeps
  try {
    built = await buildDeps(config, { log, migrate: options.migrate ?? true, web: false })
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error
    if (options.whileRunning && !error.foreign) return options.whileRunning(error, config)
    throw new CommandError(
      describeRunning(config, error, 'stop it first, then run this command again'),
    )
  }
  try {
    return await fn(built, config)
  } finally {
    await built.close()
  }
}

/**
 * Runs an operation in this process or, while a `serve` has the embedded database, inside that
 * `serve` (a second process on the files would lose the write). `instancePid` names the process
 * that did it, null for this one.
 */
export async function runOperation<N extends OperationName>(
  name: N,
  input: OperationInput<N>,
): Promise<{ output: OperationOutput<N>; instancePid: number | null }> {
  let instancePid: number | null = null
  const output = await withDeps(({ deps }) => performOperation(deps, name, input), {
    whileRunning: async (locked, config) => {
      try {
        const output = await callInstance(config.dataDir, name, input)
        instancePid = locked.holder.pid
        return output
      } catch (error) {
        if (!(error instanceof InstanceUnreachableError)) throw error
        throw new CommandError(describeUnreachable(config, locked, error))
      }
    },
  })
  return { output, instancePid }
}

/** "Switchboard is running on this data directory (/srv/data, pid 1234): <advice>" */
export function describeRunning(
  config: Config,
  locked: DataDirLockedError,
  advice: string,
): string {
  // Another host's process cannot be checked from here; its message says how to clear the lock.
  if (locked.foreign) return locked.message
  return `Switchboard is running on this data directory (${config.dataDir}, pid ${locked.holder.pid}): ${advice}`
}

function describeUnreachable(
  config: Config,
  locked: DataDirLockedError,
  error: InstanceUnreachableError,
): string {
  const socket = controlSocketPath(config.dataDir)
  if (error.reached) {
    return describeRunning(
      config,
      locked,
      `it took the command but its answer was lost (${error.reason}); check its log before trying again`,
    )
  }
  if (error.reason === 'EACCES' || error.reason === 'EPERM') {
    return describeRunning(
      config,
      locked,
      `run this command as the user it runs as (${socket} refused ${error.reason}), or stop it first`,
    )
  }
  return describeRunning(
    config,
    locked,
    `it does not answer on ${socket} (${error.reason}); wait until it has started, or stop it, then run this command again`,
  )
}
