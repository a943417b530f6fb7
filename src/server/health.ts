import type { Health } from '../shared/health.ts'
import { pingDatabase } from './db/database.ts'
import type { Deps } from './deps.ts'

export async function checkHealth(
  deps: Pick<Deps, 'db' | 'dbKind' | 'config' | 'log'>,
): Promise<Health> {
  const database: Health['database'] = { kind: deps.dbKind, reachable: false }
  try {
    database.latencyMs = await pingDatabase(deps.db)
    database.reachable = true
  } catch (error) {
    deps.log.error({ err: error }, 'health check: database unreachable')
  }
  return { status: database.reachable ? 'ok' : 'degraded', version: deps.config.version, database }
}
