import { type Kysely, sql } from 'kysely'

// A user's own choices for a tool they do not own (a shared server from switchboard.yaml):
// switched off for them, or a different approval policy. Null means "as the tool says".

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('user_tool_settings')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('tool_id', 'uuid', (col) =>
      col.notNull().references('mcp_tools.id').onDelete('cascade'),
    )
    .addColumn('enabled', 'boolean')
    .addColumn('approval_policy', 'text', (col) =>
      col.check(sql`approval_policy in ('auto', 'always', 'never')`),
    )
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('user_tool_settings_pkey', ['user_id', 'tool_id'])
    .execute()
  await db.schema
    .createIndex('user_tool_settings_tool_id_idx')
    .on('user_tool_settings')
    .column('tool_id')
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('user_tool_settings').execute()
}
