import { type Kysely, sql } from 'kysely'

// The personal MCP endpoint (issue 15): calls that MCP clients make through `/mcp` are logged
// with source `mcp` and the name the client gave itself (`clientInfo`).

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('mcp_tool_calls').addColumn('client_name', 'text').execute()
  await sql`alter table mcp_tool_calls drop constraint if exists mcp_tool_calls_source_check`.execute(
    db,
  )
  await sql`alter table mcp_tool_calls add constraint mcp_tool_calls_source_check
    check (source in ('chat', 'manual', 'api', 'app', 'mcp'))`.execute(db)
}

export async function down(db: Db): Promise<void> {
  await sql`delete from mcp_tool_calls where source = 'mcp'`.execute(db)
  await sql`alter table mcp_tool_calls drop constraint if exists mcp_tool_calls_source_check`.execute(
    db,
  )
  await sql`alter table mcp_tool_calls add constraint mcp_tool_calls_source_check
    check (source in ('chat', 'manual', 'api', 'app'))`.execute(db)
  await db.schema.alterTable('mcp_tool_calls').dropColumn('client_name').execute()
}
