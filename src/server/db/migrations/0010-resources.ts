import { type Kysely, sql } from 'kysely'

// MCP resources (issue 14): what each server offers to read, discovered with its tools and kept
// the same way, so the server page can browse them and the chat can attach them without asking
// the server each time. `kind` is 'resource' (a `uri`) or 'template' (a `uriTemplate`, kept in
// `uri`, whose variables the user fills in). A listing replaces the server's rows as a whole.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('mcp_resources')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('server_id', 'uuid', (col) =>
      col.notNull().references('mcp_servers.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('resource', 'template')`))
    .addColumn('uri', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('title', 'text')
    .addColumn('description', 'text')
    .addColumn('mime_type', 'text')
    // Bytes, as the server declares them. Not bigint: both drivers read a double as a number.
    .addColumn('size', 'double precision')
    .addColumn('annotations', 'jsonb')
    // Where discovery listed it: the server's order, kept for the pages that show them.
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('mcp_resources_server_kind_uri_key', ['server_id', 'kind', 'uri'])
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('mcp_resources').execute()
}
