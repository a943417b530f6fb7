import { ConfigError } from '../server/config/config.ts'
import { DataDirLockedError } from '../server/db/data-dir-lock.ts'
import { MigrationError } from '../server/db/migrator.ts'
import { AppError } from '../server/errors.ts'
import { CommandError, UsageError } from './cli-error.ts'
import { KEYS_USAGE, keysCommand } from './keys.ts'
import { MIGRATE_USAGE, migrateCommand } from './migrate.ts'
import { SERVE_USAGE, serveCommand } from './serve.ts'
import { TOKEN_USAGE, tokenCommand } from './token.ts'
import { USER_USAGE, userCommand } from './user.ts'

const USAGE = `usage:
  ${SERVE_USAGE}
  ${MIGRATE_USAGE.split('\n').join('\n  ')}
  ${USER_USAGE}
  ${TOKEN_USAGE}
  ${KEYS_USAGE}

Configuration: environment variables and switchboard.yaml (see README).`

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  serve: serveCommand,
  migrate: migrateCommand,
  user: userCommand,
  token: tokenCommand,
  keys: keysCommand,
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE)
    return name ? 0 : 2
  }
  const command = COMMANDS[name]
  if (!command) {
    console.error(`error: unknown command "${name}"\n\n${USAGE}`)
    return 2
  }
  try {
    await command(args)
    return 0
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${USAGE}`)
      return 2
    }
    console.error(`error: ${describeFailure(error)}`)
    return 1
  }
}

/** A message the operator can act on; never a stack trace for known failures. */
function describeFailure(error: unknown): string {
  if (error instanceof ConfigError || error instanceof MigrationError) return error.message
  if (error instanceof CommandError || error instanceof DataDirLockedError) return error.message
  if (error instanceof AppError) return error.message
  const code = (error as { code?: string }).code
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `cannot reach the database (${code}): check DATABASE_URL and that PostgreSQL is running`
  }
  if (error instanceof AggregateError && error.errors.length)
    return describeFailure(error.errors[0])
  if (code === '3D000' || code === '28P01' || code === '28000') {
    return `database refused the connection: ${(error as Error).message}`
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}

const exitCode = await main(process.argv.slice(2))
// serve keeps running; one-shot commands exit with their code.
if (process.argv[2] !== 'serve' || exitCode !== 0) process.exitCode = exitCode
