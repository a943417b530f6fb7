import { type Kysely, sql } from 'kysely'

// Conversations as trees (issue 11, items 2 and 5): editing a message or answering again adds a
// sibling instead of replacing, so every message names its parent, and the conversation names
// the leaf of the branch on show (the model reads the path from the root to it). Conversations
// can be pinned, and messages carry their plain text for search: the parts hold tool results of
// up to a megabyte each, too much to parse as JSON on every keystroke of a search.
//
// Existing conversations were lines: each message's parent is the one before it, and the leaf is
// the last one. `current_message_id` has no foreign key: messages already point at their
// conversation, and a cycle of cascades between the two tables is more trouble than it checks.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('parent_id', 'text', (col) => col.references('messages.id').onDelete('cascade'))
    .addColumn('search_text', 'text', (col) => col.notNull().defaultTo(''))
    .execute()
  await db.schema.createIndex('messages_parent_id_idx').on('messages').column('parent_id').execute()
  await db.schema
    .alterTable('conversations')
    .addColumn('current_message_id', 'text')
    .addColumn('pinned', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute()
  await db.schema
    .createIndex('conversations_user_id_pinned_updated_at_idx')
    .on('conversations')
    .columns(['user_id', 'pinned desc', 'updated_at desc'])
    .execute()

  await sql`
    update messages set parent_id = line.previous
    from (
      select id, lag(id) over (partition by conversation_id order by created_at, id) as previous
      from messages
    ) as line
    where messages.id = line.id
  `.execute(db)
  await sql`
    update conversations set current_message_id = (
      select id from messages where messages.conversation_id = conversations.id
      order by created_at desc, id desc limit 1
    )
  `.execute(db)
  // The same text the app writes (src/server/db/messages.ts: text parts, joined by a space).
  await sql`
    update messages set search_text = coalesce((
      select string_agg(part->>'text', ' ' order by position)
      from json_array_elements(messages.parts::json) with ordinality as p(part, position)
      where part->>'type' = 'text'
    ), '')
  `.execute(db)
  // Every click on "New conversation" used to store one; those never written in hold nothing.
  await sql`
    delete from conversations
    where title = 'New conversation'
      and not exists (select 1 from messages where messages.conversation_id = conversations.id)
  `.execute(db)
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('conversations_user_id_pinned_updated_at_idx').execute()
  await db.schema
    .alterTable('conversations')
    .dropColumn('pinned')
    .dropColumn('current_message_id')
    .execute()
  await db.schema.dropIndex('messages_parent_id_idx').execute()
  await db.schema.alterTable('messages').dropColumn('search_text').dropColumn('parent_id').execute()
}
