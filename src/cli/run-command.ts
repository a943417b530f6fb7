import { type ParseArgsConfig, parseArgs } from 'node:util'
import type { Config } from '../server/config/config.ts'
import { loadConfig } from '../server/config/load-config.ts'
import { type BuiltDeps, buildDeps } from '../server/deps.ts'
import { createLogger } from '../server/log.ts'
import { UsageError } from './cli-error.ts'

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

/**
 * Builds deps for a one-shot command (quiet logs, no web), runs it, and always closes the
 * database so the process can exit.
 */
export async function withDeps<T>(
  fn: (built: BuiltDeps, config: Config) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig()
  const log = createLogger({ log: { ...config.log, level: 'warn' } }, { stream: 'stderr' })
  const built = await buildDeps(config, { log, migrate: options.migrate ?? true })
  try {
    return await fn(built, config)
  } finally {
    await built.close()
  }
}
