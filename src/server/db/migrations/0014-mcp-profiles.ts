import { type Kysely, sql } from 'kysely'

// Profiles of the personal MCP endpoint (issue 15): a named subset of the user's servers that an
// MCP client reaches at `/mcp/p/<name>`. An API token may be scoped to one profile: it then
// works there and nowhere else, and goes with the profile.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('mcp_profiles')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    // The servers it offers, by id: [] offers none; ids of servers since deleted are ignored.
    .addColumn('server_ids', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('mcp_profiles_user_name_key', ['user_id', 'name'])
    .execute()
  await db.schema
    .alterTable('api_tokens')
    .addColumn('profile_id', 'uuid', (col) => col.references('mcp_profiles.id').onDelete('cascade'))
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('profile_id').execute()
  await db.schema.dropTable('mcp_profiles').execute()
}
