import { type Kysely, sql } from 'kysely'

// What a user chooses about models and conversations (issue 11, item 4): the models they starred,
// a conversation's own instructions and the servers it may use, and saved presets of those three.
// `server_ids` null means "every server the user has", the behaviour from before this migration;
// ids of servers deleted since are ignored when read, so no foreign key holds them.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('instructions', 'text')
    .addColumn('server_ids', 'jsonb')
    .execute()

  await db.schema
    .createTable('model_favourites')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('model_id', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('model_favourites_pkey', ['user_id', 'model_id'])
    .execute()

  await db.schema
    .createTable('chat_presets')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('model', 'text')
    .addColumn('instructions', 'text')
    .addColumn('server_ids', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('chat_presets_user_id_name_key', ['user_id', 'name'])
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('chat_presets').execute()
  await db.schema.dropTable('model_favourites').execute()
  await db.schema
    .alterTable('conversations')
    .dropColumn('server_ids')
    .dropColumn('instructions')
    .execute()
}
