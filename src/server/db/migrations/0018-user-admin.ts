import { type Kysely, sql } from 'kysely'

// User administration (issue 16, items 1 and 2).
// - `users.banned`, `ban_reason`, `ban_expires`: better-auth's admin plugin's fields (a disabled
//   account), and `sessions.impersonated_by`, which the plugin adds to sessions; mapped to
//   snake_case in auth/auth.ts. `last_sign_in_at` is ours: set whenever a session is created.
// - `user_invitations`: one-time links an admin hands out; only the token's hash is stored, and
//   the row is deleted when the link is used.
// - `registration_settings`: the admin's registration policy (one row; none: open). The
//   operator's env or switchboard.yaml, when set, wins over it (config/load-config.ts).

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('banned', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('ban_reason', 'text')
    .addColumn('ban_expires', 'timestamptz')
    .addColumn('last_sign_in_at', 'timestamptz')
    .execute()
  await db.schema.alterTable('sessions').addColumn('impersonated_by', 'text').execute()
  await db.schema
    .createTable('user_invitations')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('role', 'text', (col) =>
      col.notNull().defaultTo('user').check(sql`role in ('admin', 'user')`),
    )
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    // The admin who made it; their account may be deleted before the link is used.
    .addColumn('created_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('user_invitations_email_idx')
    .on('user_invitations')
    .column('email')
    .execute()
  await db.schema
    .createTable('registration_settings')
    // One row: the key is always true.
    .addColumn('id', 'boolean', (col) => col.primaryKey().defaultTo(true).check(sql`id`))
    .addColumn('mode', 'text', (col) =>
      col.notNull().check(sql`mode in ('open', 'invite-only', 'closed', 'domains')`),
    )
    .addColumn('domains', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('updated_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('registration_settings').execute()
  await db.schema.dropTable('user_invitations').execute()
  await db.schema.alterTable('sessions').dropColumn('impersonated_by').execute()
  await db.schema
    .alterTable('users')
    .dropColumn('banned')
    .dropColumn('ban_reason')
    .dropColumn('ban_expires')
    .dropColumn('last_sign_in_at')
    .execute()
}
