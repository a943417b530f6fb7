import { describeIssues } from '../server/config/load-config.ts'
import { ApiTokenCreateSchema } from '../shared/auth.ts'
import { UsageError } from './cli-error.ts'
import { parseFlags, requireFlag, runOperation } from './run-command.ts'

export const TOKEN_USAGE =
  'switchboard token create --email E [--name N]   print a new API token (alone, on stdout)'

export async function tokenCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    email: { type: 'string' },
    name: { type: 'string', default: 'cli' },
  })
  if (positionals[0] !== 'create' || positionals.length !== 1) {
    throw new UsageError('token takes one action: create')
  }
  const email = requireFlag(values.email, 'email')
  const parsed = ApiTokenCreateSchema.safeParse({ name: values.name })
  if (!parsed.success) throw new UsageError(`--name: ${describeIssues(parsed.error)}`)
  const { output, instancePid } = await runOperation('token.create', { email, ...parsed.data })
  if (instancePid) console.error(`(created by the running Switchboard, pid ${instancePid})`)
  // Alone on stdout so scripts can capture it: TOKEN=$(switchboard token create --email …)
  process.stdout.write(`${output.secret}\n`)
}
