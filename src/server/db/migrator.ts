import { type Migration, type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely/migration'
import type { Db } from './database.ts'
import * as initial from './migrations/0001-initial.ts'
import * as oauthStates from './migrations/0002-oauth-states.ts'
import * as userToolSettings from './migrations/0003-user-tool-settings.ts'
import * as jsonKeyOrder from './migrations/0004-json-key-order.ts'
import * as messageBranches from './migrations/0005-message-branches.ts'
import * as modelsPresets from './migrations/0006-models-presets.ts'
import * as attachments from './migrations/0007-attachments.ts'
import * as errorReasons from './migrations/0008-error-reasons.ts'
import * as checkSchedule from './migrations/0009-check-schedule.ts'
import * as resources from './migrations/0010-resources.ts'
import * as prompts from './migrations/0011-prompts.ts'
import * as mcpApps from './migrations/0012-mcp-apps.ts'
import * as mcpEndpoint from './migrations/0013-mcp-endpoint.ts'
import * as mcpProfiles from './migrations/0014-mcp-profiles.ts'
import * as profileToolMode from './migrations/0015-profile-tool-mode.ts'
import * as profileToolNames from './migrations/0016-profile-tool-names.ts'
import * as oauthProvider from './migrations/0017-oauth-provider.ts'
import * as userAdmin from './migrations/0018-user-admin.ts'
import * as modelProviders from './migrations/0020-model-providers.ts'

// Migrations are imported, not read from disk, so they work the same from src/ and a bundle.
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-oauth-states': oauthStates,
  '0003-user-tool-settings': userToolSettings,
  '0004-json-key-order': jsonKeyOrder,
  '0005-message-branches': messageBranches,
  '0006-models-presets': modelsPresets,
  '0007-attachments': attachments,
  '0008-error-reasons': errorReasons,
  '0009-check-schedule': checkSchedule,
  '0010-resources': resources,
  '0011-prompts': prompts,
  '0012-mcp-apps': mcpApps,
  '0013-mcp-endpoint': mcpEndpoint,
  '0014-mcp-profiles': mcpProfiles,
  '0015-profile-tool-mode': profileToolMode,
  '0016-profile-tool-names': profileToolNames,
  '0017-oauth-provider': oauthProvider,
  '0018-user-admin': userAdmin,
  '0020-model-providers': modelProviders,
}

export interface MigrationStatus {
  name: string
  applied: boolean
  executedAt: Date | null
}

function createMigrator(db: Db): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  })
}

/** Thrown with the name of the migration that failed; the database is left as it was. */
export class MigrationError extends Error {
  override name = 'MigrationError'
}

function unwrap(result: MigrationResultSet): string[] {
  const failed = result.results?.find((r) => r.status === 'Error')
  if (result.error) {
    const where = failed ? ` in ${failed.migrationName}` : ''
    throw new MigrationError(`migration failed${where}: ${(result.error as Error).message}`, {
      cause: result.error,
    })
  }
  return (result.results ?? []).map((r) => r.migrationName)
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return unwrap(await createMigrator(db).migrateToLatest())
}

/** Reverts one migration, or down to (and keeping) `to`; `to: 'zero'` reverts everything. */
export async function migrateDown(db: Db, to?: string): Promise<string[]> {
  const migrator = createMigrator(db)
  if (to === undefined) return unwrap(await migrator.migrateDown())
  if (to === 'zero') return unwrap(await migrator.migrateTo(NO_MIGRATIONS))
  if (!(to in MIGRATIONS)) {
    throw new MigrationError(
      `unknown migration "${to}" (known: ${Object.keys(MIGRATIONS).join(', ')})`,
    )
  }
  return unwrap(await migrator.migrateTo(to))
}

export async function migrationStatus(db: Db): Promise<MigrationStatus[]> {
  const migrations = await createMigrator(db).getMigrations()
  return migrations.map((m) => ({
    name: m.name,
    applied: m.executedAt !== undefined,
    executedAt: m.executedAt ?? null,
  }))
}
