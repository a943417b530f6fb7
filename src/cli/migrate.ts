import { migrateDown, migrateToLatest, migrationStatus } from '../server/db/migrator.ts'
import { UsageError } from './cli-error.ts'
import { parseFlags, withDeps } from './run-command.ts'

export const MIGRATE_USAGE = `switchboard migrate up                 apply pending migrations
switchboard migrate down [--to NAME]   revert one, or down to NAME ('zero' reverts all)
switchboard migrate status             list applied and pending migrations`

export async function migrateCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { to: { type: 'string' } })
  const [action] = positionals
  if (positionals.length !== 1) throw new UsageError('migrate takes one of: up, down, status')
  await withDeps(
    async ({ deps }) => {
      switch (action) {
        case 'up': {
          const applied = await migrateToLatest(deps.db)
          console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date')
          return
        }
        case 'down': {
          const reverted = await migrateDown(deps.db, values.to)
          console.log(reverted.length ? `reverted: ${reverted.join(', ')}` : 'nothing to revert')
          return
        }
        case 'status': {
          for (const m of await migrationStatus(deps.db)) {
            const when = m.executedAt ? `  ${m.executedAt.toISOString()}` : ''
            console.log(`${m.applied ? 'applied' : 'pending'}  ${m.name}${when}`)
          }
          return
        }
        default:
          throw new UsageError(`unknown migrate action "${action}": use up, down or status`)
      }
    },
    { migrate: false },
  )
}
