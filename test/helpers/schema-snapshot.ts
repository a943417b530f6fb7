import { sql } from 'kysely'
import type { Db } from '../../src/server/db/database.ts'

/**
 * Everything that defines the public schema, as sorted text: columns (type, null, default),
 * constraints (with their definitions) and indexes. Two equal snapshots mean the same schema.
 */
export async function snapshotSchema(db: Db): Promise<string[]> {
  const columns = await sql<{ line: string }>`
    select table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable
      || ' default=' || coalesce(column_default, '') as line
    from information_schema.columns where table_schema = 'public'`.execute(db)
  const constraints = await sql<{ line: string }>`
    select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) as line
    from pg_constraint where connamespace = 'public'::regnamespace`.execute(db)
  const indexes = await sql<{ line: string }>`
    select indexdef as line from pg_indexes where schemaname = 'public'`.execute(db)
  return [...columns.rows, ...constraints.rows, ...indexes.rows].map((r) => r.line).sort()
}

export async function listTables(db: Db): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db)
  return result.rows.map((r) => r.name)
}
