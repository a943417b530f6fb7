import { type Kysely, sql } from 'kysely'

// Health checks shared by the fleet (issue 13). Every instance used to walk every enabled server
// each interval; now each server carries when it is next due and which instance checks it.
// Instances claim due rows (`FOR UPDATE SKIP LOCKED`), so the fleet checks a server about once
// per interval; a claim is only a time in the future, so an instance that dies holds nothing:
// its servers fall due again and another instance takes them. Instances that check say so in
// `health_check_instances` every few seconds; the live ones split the servers between them by a
// hash of the server's id, so each server stays with the instance that has its session pooled
// (`check_owner` says which). Null `next_check_at` (every row before this migration, and new
// rows) is given a random phase in the interval, so checks spread over it.
//
// `user_activity` says when each user last used Switchboard: the servers of a user away for a
// while are checked less often, and at once when they come back. A table of its own, not a
// column of `users`, which better-auth owns.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('mcp_servers')
    .addColumn('next_check_at', 'timestamptz')
    .addColumn('check_owner', 'text')
    .execute()
  await db.schema
    .createIndex('mcp_servers_next_check_at_idx')
    .on('mcp_servers')
    .column('next_check_at')
    .where(sql.ref('enabled'), '=', true)
    .execute()
  await db.schema
    .createTable('user_activity')
    .addColumn('user_id', 'text', (col) =>
      col.primaryKey().references('users.id').onDelete('cascade'),
    )
    .addColumn('active_at', 'timestamptz', (col) => col.notNull())
    .execute()
  await db.schema
    .createTable('health_check_instances')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('seen_at', 'timestamptz', (col) => col.notNull())
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('health_check_instances').execute()
  await db.schema.dropTable('user_activity').execute()
  await db.schema.dropIndex('mcp_servers_next_check_at_idx').execute()
  await db.schema
    .alterTable('mcp_servers')
    .dropColumn('check_owner')
    .dropColumn('next_check_at')
    .execute()
}
