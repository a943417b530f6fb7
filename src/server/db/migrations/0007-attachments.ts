import { type Kysely, sql } from 'kysely'

// Files users attach to chat messages (issue 11, item 3). The bytes live in the row (bytea), not
// in files under the data directory: every instance behind a load balancer reads the same
// database, backups hold them with the messages that name them, and deleting a user or a
// conversation deletes its files in the same statement (ON DELETE CASCADE). PGlite and PostgreSQL
// behave the same; PostgreSQL keeps large values out of line (TOAST), and the size caps of
// `chat.attachments` keep a row at a few megabytes.
//
// `conversation_id` is null from the upload until the message that names the file is sent (a
// new conversation is stored only with its first message); unsent files are swept after a day.
// `extracted_text` holds a PDF's text, read once at upload.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('conversation_id', 'uuid', (col) =>
      col.references('conversations.id').onDelete('cascade'),
    )
    .addColumn('filename', 'text', (col) => col.notNull())
    .addColumn('media_type', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('image', 'text', 'pdf')`))
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('content', 'bytea', (col) => col.notNull())
    .addColumn('extracted_text', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('attachments_user_id_created_at_idx')
    .on('attachments')
    .columns(['user_id', 'created_at'])
    .execute()
  await db.schema
    .createIndex('attachments_conversation_id_idx')
    .on('attachments')
    .column('conversation_id')
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('attachments').execute()
}
