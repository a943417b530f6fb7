import type { Kysely } from 'kysely'

// How an endpoint profile names its tools and prompts to MCP clients (issue 15): `prefixed`
// (`server__tool`, unique across all servers, as before) or `plain` (the server's own name where
// no other server in the profile has it; prefixed where it clashes).

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('mcp_profiles')
    .addColumn('tool_names', 'text', (col) => col.notNull().defaultTo('prefixed'))
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('mcp_profiles').dropColumn('tool_names').execute()
}
