import type { Kysely } from 'kysely'
import { sql } from 'kysely'

// jsonb stores object keys sorted (shortest first), so a tool's input schema came back with
// its fields out of the server's order (the tester's form showed "age" before "name"), and
// call arguments, results and chat parts were reordered too. `json` keeps the text as sent.
// None of these columns is indexed, compared or queried inside.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

const COLUMNS: [table: string, column: string][] = [
  ['mcp_tools', 'input_schema'],
  ['mcp_tools', 'output_schema'],
  ['mcp_tools', 'previous_definition'],
  ['mcp_tool_calls', 'input'],
  ['mcp_tool_calls', 'output'],
  ['messages', 'parts'],
]

export async function up(db: Db): Promise<void> {
  for (const [table, column] of COLUMNS) await retype(db, table, column, 'json')
}

export async function down(db: Db): Promise<void> {
  for (const [table, column] of COLUMNS) await retype(db, table, column, 'jsonb')
}

async function retype(db: Db, table: string, column: string, type: 'json' | 'jsonb') {
  await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} type ${sql.raw(type)} using ${sql.ref(column)}::${sql.raw(type)}`.execute(
    db,
  )
}
