/**
 * A migrated PGlite database saved once per conformance run and copied by every auth scenario.
 * The suite starts all scenarios at once, and creating a PGlite cluster (initdb) costs seconds
 * of CPU each: on 2 cores sixteen of them skew the timings sse-retry measures meanwhile.
 *
 * `node --import tsx test/conformance/db-template.ts <file>` writes the template (what
 * scripts/conformance.mjs does before the suite); `openScenarioDatabase` opens a copy of the one that
 * `CONFORMANCE_DB_TEMPLATE` names, or a fresh test database without it.
 *
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect } from 'kysely'
import type { DatabaseHandle } from '../../src/server/db/database.ts'
import { migrateToLatest } from '../../src/server/db/migrator.ts'
import type { Database } from '../../src/server/db/schema.ts'
import { openTestDatabase } from '../helpers/test-db.ts'

/** A copy of the template named by `CONFORMANCE_DB_TEMPLATE`; else `openTestDatabase()`. */
export async function openScenarioDatabase(): Promise<DatabaseHandle> {
  const template = process.env.CONFORMANCE_DB_TEMPLATE
  if (!template) return openTestDatabase()
  const pglite = await PGlite.create({ loadDataDir: new Blob([await readFile(template)]) })
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
  return { db, kind: 'pglite', close: () => db.destroy() }
}

async function writeTemplate(file: string): Promise<void> {
  const pglite = await PGlite.create()
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
  try {
    await migrateToLatest(db)
    const dump = await pglite.dumpDataDir('none')
    await writeFile(file, Buffer.from(await dump.arrayBuffer()))
  } finally {
    await db.destroy()
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2]
  if (!file) throw new Error('usage: db-template.ts <file>')
  await writeTemplate(file)
}
