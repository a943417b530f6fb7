import { type Kysely, sql } from 'kysely'

// Profiles of the personal MCP endpoint (issue 15) choose single tools besides whole servers
// (`tool_ids`: say only the reading tools of one server) and how their tools are listed
// (`tool_mode`): 'all' lists each tool; 'search' lists only `search_tools` and `call_tool`, so a
// client with hundreds of tools pays for two definitions, not hundreds.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('mcp_profiles')
    // By id, as server_ids: ids of tools since removed are ignored.
    .addColumn('tool_ids', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute()
  await db.schema
    .alterTable('mcp_profiles')
    .addColumn('tool_mode', 'text', (col) =>
      col.notNull().defaultTo('all').check(sql`tool_mode in ('all', 'search')`),
    )
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('mcp_profiles').dropColumn('tool_mode').execute()
  await db.schema.alterTable('mcp_profiles').dropColumn('tool_ids').execute()
}
