import type { Kysely } from 'kysely'

// Errors stored with a server (its last check) and a tool call were English text only, so the
// UI could not show them in the reader's language (issue 11, item 7). Each gets its reason next
// to it: a message id and parameters (`{ "key": "upstream.dns", "params": { "host": "…" } }`),
// the same shape the API's error replies carry. Null for rows written before, and for errors
// that have no reason (the UI then shows the English text).

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('mcp_servers').addColumn('last_error_reason', 'json').execute()
  await db.schema.alterTable('mcp_tool_calls').addColumn('error_reason', 'json').execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('mcp_tool_calls').dropColumn('error_reason').execute()
  await db.schema.alterTable('mcp_servers').dropColumn('last_error_reason').execute()
}
