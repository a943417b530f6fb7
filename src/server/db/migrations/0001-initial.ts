import { type CreateTableBuilder, type Kysely, sql } from 'kysely'

// The schema of DESIGN.md "Data". Auth tables follow better-auth's model (users, sessions,
// accounts, verifications) with snake_case columns mapped in `auth/auth.ts`.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

const now = sql`now()`

// biome-ignore lint/suspicious/noExplicitAny: as above
function timestamps(table: CreateTableBuilder<any, any>) {
  return table
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
}

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('email_verified', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('image', 'text')
    .addColumn('role', 'text', (col) =>
      col.notNull().defaultTo('user').check(sql`role in ('admin', 'user')`),
    )
    .$call(timestamps)
    .execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token', 'text', (col) => col.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('ip_address', 'text')
    .addColumn('user_agent', 'text')
    .$call(timestamps)
    .execute()
  await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute()

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (col) => col.notNull())
    .addColumn('provider_id', 'text', (col) => col.notNull())
    .addColumn('access_token', 'text')
    .addColumn('refresh_token', 'text')
    .addColumn('id_token', 'text')
    .addColumn('access_token_expires_at', 'timestamptz')
    .addColumn('refresh_token_expires_at', 'timestamptz')
    .addColumn('scope', 'text')
    .addColumn('password', 'text')
    .$call(timestamps)
    .execute()
  await db.schema.createIndex('accounts_user_id_idx').on('accounts').column('user_id').execute()

  await db.schema
    .createTable('verifications')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('identifier', 'text', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .$call(timestamps)
    .execute()
  await db.schema
    .createIndex('verifications_identifier_idx')
    .on('verifications')
    .column('identifier')
    .execute()

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('prefix', 'text', (col) => col.notNull())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .$call(timestamps)
    .execute()
  await db.schema.createIndex('api_tokens_user_id_idx').on('api_tokens').column('user_id').execute()

  await db.schema
    .createTable('mcp_servers')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // null: a shared server defined by the operator in switchboard.yaml
    .addColumn('user_id', 'text', (col) => col.references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('transport', 'text', (col) =>
      col.notNull().check(sql`transport in ('streamable-http', 'sse', 'websocket', 'stdio')`),
    )
    .addColumn('url', 'text')
    .addColumn('config', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('auth_type', 'text', (col) =>
      col
        .notNull()
        .defaultTo('none')
        .check(sql`auth_type in ('none', 'bearer', 'headers', 'oauth')`),
    )
    // a secret-box envelope, never returned by the API
    .addColumn('auth_data', 'text')
    .addColumn('enabled', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('unknown')
        .check(sql`status in ('unknown', 'online', 'offline', 'error', 'needs_auth')`),
    )
    .addColumn('last_checked_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('last_latency_ms', 'integer')
    .addColumn('server_info', 'jsonb')
    .addUniqueConstraint('mcp_servers_user_id_name_key', ['user_id', 'name'])
    .$call(timestamps)
    .execute()
  // unique (user_id, name) lets NULL user ids repeat: config servers need their own rule.
  await db.schema
    .createIndex('mcp_servers_config_name_key')
    .on('mcp_servers')
    .column('name')
    .unique()
    .where(sql.ref('user_id'), 'is', null)
    .execute()
  await db.schema.createIndex('mcp_servers_status_idx').on('mcp_servers').column('status').execute()

  await db.schema
    .createTable('mcp_tools')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('server_id', 'uuid', (col) =>
      col.notNull().references('mcp_servers.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('title', 'text')
    .addColumn('description', 'text')
    .addColumn('input_schema', 'jsonb', (col) => col.notNull())
    .addColumn('output_schema', 'jsonb')
    .addColumn('annotations', 'jsonb')
    // e.g. { taskSupport: 'optional' }: how the tool may be run (MCP tasks)
    .addColumn('execution', 'jsonb')
    .addColumn('enabled', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('schema_hash', 'text', (col) => col.notNull())
    // set when the server changed the definition since the user last accepted it
    .addColumn('changed_at', 'timestamptz')
    .addColumn('previous_definition', 'jsonb')
    .addColumn('approval_policy', 'text', (col) =>
      col.notNull().defaultTo('auto').check(sql`approval_policy in ('auto', 'always', 'never')`),
    )
    .addColumn('last_synced_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addUniqueConstraint('mcp_tools_server_id_name_key', ['server_id', 'name'])
    .$call(timestamps)
    .execute()

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('model', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .execute()
  await db.schema
    .createIndex('conversations_user_id_updated_at_idx')
    .on('conversations')
    .columns(['user_id', 'updated_at desc'])
    .execute()

  await db.schema
    .createTable('messages')
    // AI SDK UI message ids are strings chosen by the client or the SDK
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('conversation_id', 'uuid', (col) =>
      col.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('role', 'text', (col) =>
      col.notNull().check(sql`role in ('system', 'user', 'assistant')`),
    )
    .addColumn('parts', 'jsonb', (col) => col.notNull())
    .addColumn('metadata', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .execute()
  await db.schema
    .createIndex('messages_conversation_id_created_at_idx')
    .on('messages')
    .columns(['conversation_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('mcp_tool_calls')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    // the log outlives the server, tool and conversation it names
    .addColumn('server_id', 'uuid', (col) => col.references('mcp_servers.id').onDelete('set null'))
    .addColumn('tool_id', 'uuid', (col) => col.references('mcp_tools.id').onDelete('set null'))
    .addColumn('server_name', 'text', (col) => col.notNull())
    .addColumn('tool_name', 'text', (col) => col.notNull())
    .addColumn('conversation_id', 'uuid', (col) =>
      col.references('conversations.id').onDelete('set null'),
    )
    .addColumn('message_id', 'text')
    .addColumn('source', 'text', (col) =>
      col.notNull().check(sql`source in ('chat', 'manual', 'api')`),
    )
    .addColumn('mode', 'text', (col) => col.notNull().check(sql`mode in ('sync', 'async')`))
    .addColumn('input', 'jsonb', (col) => col.notNull())
    .addColumn('output', 'jsonb')
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`status in ('pending', 'running', 'succeeded', 'failed', 'timeout', 'cancelled', 'interrupted')`,
        ),
    )
    .addColumn('error_code', 'text')
    .addColumn('error', 'text')
    .addColumn('progress', 'jsonb')
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('duration_ms', 'integer')
    .$call(timestamps)
    .execute()
  await db.schema
    .createIndex('mcp_tool_calls_user_id_created_at_idx')
    .on('mcp_tool_calls')
    .columns(['user_id', 'created_at desc'])
    .execute()
  await db.schema
    .createIndex('mcp_tool_calls_conversation_id_idx')
    .on('mcp_tool_calls')
    .column('conversation_id')
    .execute()
  // start-up recovery and the admin view look for calls that have not finished
  await db.schema
    .createIndex('mcp_tool_calls_unfinished_idx')
    .on('mcp_tool_calls')
    .column('status')
    .where(sql.ref('status'), 'in', sql`('pending', 'running')`)
    .execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .execute()
  await db.schema
    .createIndex('audit_log_user_id_at_idx')
    .on('audit_log')
    .columns(['user_id', 'at desc'])
    .execute()
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at desc').execute()
}

export async function down(db: Db): Promise<void> {
  for (const table of [
    'audit_log',
    'mcp_tool_calls',
    'messages',
    'conversations',
    'mcp_tools',
    'mcp_servers',
    'api_tokens',
    'verifications',
    'accounts',
    'sessions',
    'users',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
