import { type Kysely, sql } from 'kysely'

// Sign-ins in progress to users' OAuth-protected MCP servers (issue 3): one row per `state`
// handed to an authorization server, holding the PKCE verifier until the browser comes back.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('mcp_oauth_states')
    // hex SHA-256 of the state: a database dump cannot be replayed at the callback
    .addColumn('state', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('server_id', 'uuid', (col) =>
      col.notNull().references('mcp_servers.id').onDelete('cascade'),
    )
    // a secret-box envelope bound to user_id
    .addColumn('code_verifier', 'text', (col) => col.notNull())
    // set when the callback claims the state: a state works once
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .execute()
  await db.schema
    .createIndex('mcp_oauth_states_expires_at_idx')
    .on('mcp_oauth_states')
    .column('expires_at')
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('mcp_oauth_states').execute()
}
