import { type Kysely, sql } from 'kysely'

// Model providers set in the admin UI (issue 16, items 4 and 5): OpenRouter and any number of
// OpenAI-compatible endpoints, their keys sealed by the secret box; the default model and whether
// users may bring their own OpenRouter key; per user, that key and a daily message limit; and one
// usage row per answer (tokens, OpenRouter's cost, tool calls, errors) for the admin's usage view.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('model_providers')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('base_url', 'text')
    // Secret-box envelope (operator owner); never returned by the API.
    .addColumn('api_key', 'text')
    // The models on offer from this provider: [{ id, label }], in the admin's order.
    .addColumn('models', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'model_providers_kind_check',
      sql`kind in ('openrouter', 'openai-compatible')`,
    )
    .execute()
  await db.schema
    .createTable('model_settings')
    // One row: the installation's settings.
    .addColumn('id', 'integer', (col) => col.primaryKey().check(sql`id = 1`))
    .addColumn('default_model', 'text')
    .addColumn('user_keys_allowed', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('user_model_settings')
    .addColumn('user_id', 'text', (col) =>
      col.primaryKey().references('users.id').onDelete('cascade'),
    )
    // Secret-box envelope sealed for the user; used for their conversations only.
    .addColumn('openrouter_key', 'text')
    .addColumn('daily_message_limit', 'integer')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('chat_usage')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    // Kept when the conversation goes: usage already happened.
    .addColumn('conversation_id', 'text')
    .addColumn('message_id', 'text', (col) => col.notNull())
    .addColumn('model', 'text', (col) => col.notNull())
    .addColumn('provider_id', 'text')
    .addColumn('user_key', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('input_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    // US dollars as OpenRouter reports them; null: the provider did not say.
    .addColumn('cost', 'double precision')
    .addColumn('tool_calls', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('tool_errors', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('chat_usage_created_at_idx')
    .on('chat_usage')
    .column('created_at')
    .execute()
  await db.schema
    .createIndex('chat_usage_user_id_created_at_idx')
    .on('chat_usage')
    .columns(['user_id', 'created_at'])
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('chat_usage').execute()
  await db.schema.dropTable('user_model_settings').execute()
  await db.schema.dropTable('model_settings').execute()
  await db.schema.dropTable('model_providers').execute()
}
