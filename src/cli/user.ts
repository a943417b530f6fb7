import { describeIssues } from '../server/config/load-config.ts'
import { RegisterSchema } from '../shared/auth.ts'
import { UsageError } from './cli-error.ts'
import { parseFlags, requireFlag, runOperation } from './run-command.ts'

export const USER_USAGE =
  'switchboard user create --email E --password P [--name N] [--admin]   create an account'

export async function userCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    email: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
    admin: { type: 'boolean', default: false },
  })
  if (positionals[0] !== 'create' || positionals.length !== 1) {
    throw new UsageError('user takes one action: create')
  }
  const parsed = RegisterSchema.safeParse({
    email: requireFlag(values.email, 'email'),
    password: requireFlag(values.password, 'password'),
    name: values.name,
  })
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error))
  const { output: user, instancePid } = await runOperation('user.create', {
    ...parsed.data,
    ...(values.admin ? { role: 'admin' as const } : {}),
  })
  if (instancePid) console.error(`(created by the running Switchboard, pid ${instancePid})`)
  console.log(`created ${user.role} ${user.email} (${user.id})`)
}
