import { createApiToken } from '../server/auth/api-tokens.ts'
import { findUserByEmail } from '../server/db/users.ts'
import { AppError } from '../server/errors.ts'
import { UsageError } from './cli-error.ts'
import { parseFlags, requireFlag, withDeps } from './run-command.ts'

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
  const secret = await withDeps(async ({ deps }) => {
    const user = await findUserByEmail(deps.db, { email })
    if (!user) throw new AppError('not_found', `no user with email ${email}`)
    return (await createApiToken(deps, { userId: user.id, name: values.name ?? 'cli' })).secret
  })
  // Alone on stdout so scripts can capture it: TOKEN=$(switchboard token create --email …)
  process.stdout.write(`${secret}\n`)
}
