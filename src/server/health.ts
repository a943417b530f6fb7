import type { Health } from '../shared/health.ts'
import type { Config } from './config/config.ts'
import { type DatabaseHandle, type Db, pingDatabase } from './db/database.ts'
import type { Logger } from './log.ts'

export interface HealthDeps {
  db: Db
  dbKind: DatabaseHandle['kind']
  config: Pick<Config, 'version'>
  log: Logger
}

export async function checkHealth(deps: HealthDeps): Promise<Health> {
  const database: Health['database'] = { kind: deps.dbKind, reachable: false }
  try {
    database.latencyMs = await pingDatabase(deps.db)
    database.reachable = true
  } catch (error) {
    deps.log.error({ err: error }, 'health check: database unreachable')
  }
  return { status: database.reachable ? 'ok' : 'degraded', version: deps.config.version, database }
}
