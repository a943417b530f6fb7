import { type Kysely, sql } from 'kysely'

// MCP Apps (issue 14, `io.modelcontextprotocol/ui`): a tool may name a `ui://` resource that the
// chat renders in a sandbox. Discovery reads it with the tools and keeps it here, one row per
// server and URI; the tool keeps the hash of the version the user accepted
// (`ui_resource_hash`), so a changed UI counts as a changed tool. `ui` on the tool is its
// `_meta.ui` (resourceUri, visibility). A user can switch rendering off per server
// (`render_apps` on their own server, `user_server_settings` for a shared one), and calls an app
// makes are logged with source `app`.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('mcp_servers')
    .addColumn('render_apps', 'boolean', (col) => col.notNull().defaultTo(true))
    .execute()
  await db.schema
    .alterTable('mcp_tools')
    .addColumn('ui', 'jsonb')
    .addColumn('ui_resource_hash', 'text')
    .execute()
  await db.schema
    .createTable('mcp_ui_resources')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('server_id', 'uuid', (col) =>
      col.notNull().references('mcp_servers.id').onDelete('cascade'),
    )
    .addColumn('uri', 'text', (col) => col.notNull())
    .addColumn('html', 'text', (col) => col.notNull())
    // The content's `_meta.ui`: csp, permissions, domain, prefersBorder.
    .addColumn('meta', 'jsonb')
    .addColumn('hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('mcp_ui_resources_server_uri_key', ['server_id', 'uri'])
    .execute()
  await db.schema
    .createTable('user_server_settings')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('server_id', 'uuid', (col) =>
      col.notNull().references('mcp_servers.id').onDelete('cascade'),
    )
    .addColumn('render_apps', 'boolean')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('user_server_settings_pkey', ['user_id', 'server_id'])
    .execute()
  await sql`alter table mcp_tool_calls drop constraint if exists mcp_tool_calls_source_check`.execute(
    db,
  )
  await sql`alter table mcp_tool_calls add constraint mcp_tool_calls_source_check
    check (source in ('chat', 'manual', 'api', 'app'))`.execute(db)
}

export async function down(db: Db): Promise<void> {
  await sql`delete from mcp_tool_calls where source = 'app'`.execute(db)
  await sql`alter table mcp_tool_calls drop constraint if exists mcp_tool_calls_source_check`.execute(
    db,
  )
  await sql`alter table mcp_tool_calls add constraint mcp_tool_calls_source_check
    check (source in ('chat', 'manual', 'api'))`.execute(db)
  await db.schema.dropTable('user_server_settings').execute()
  await db.schema.dropTable('mcp_ui_resources').execute()
  await db.schema.alterTable('mcp_tools').dropColumn('ui').dropColumn('ui_resource_hash').execute()
  await db.schema.alterTable('mcp_servers').dropColumn('render_apps').execute()
}
