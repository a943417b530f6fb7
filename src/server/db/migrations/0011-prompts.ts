import { type Kysely, sql } from 'kysely'

// MCP prompts (issue 14), discovered with the tools and resources and kept the same way, so the
// composer's `/` can offer them without asking each server. And where an attachment came from
// when it is a resource the user attached with `@`: the server (its name then) and the URI,
// shown with the file and told to the model.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('mcp_prompts')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('server_id', 'uuid', (col) =>
      col.notNull().references('mcp_servers.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('title', 'text')
    .addColumn('description', 'text')
    // [{ name, title?, description?, required }]
    .addColumn('arguments', 'jsonb', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('mcp_prompts_server_name_key', ['server_id', 'name'])
    .execute()
  await db.schema
    .alterTable('attachments')
    .addColumn('source_server', 'text')
    .addColumn('source_uri', 'text')
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema
    .alterTable('attachments')
    .dropColumn('source_server')
    .dropColumn('source_uri')
    .execute()
  await db.schema.dropTable('mcp_prompts').execute()
}
