import { type Kysely, sql } from 'kysely'

// Switchboard as the OAuth 2.1 authorization server of the personal MCP endpoint (issue 15).
// The `oauth_*` tables are better-auth's OAuth provider's (@better-auth/oauth-provider through
// @better-auth/mcp), mapped to snake_case in gateway/oauth-provider.ts; this DDL is what
// better-auth's own schema generator emits for that mapping, frozen here so the schema stays
// ours to migrate. Tokens and client secrets are stored hashed or encrypted.
//
// `mcp_client_grants` is ours: which profile of the endpoint a user gave an OAuth client, and
// when the client last used it (Settings → Connected apps). A token whose grant is gone (revoked,
// or its profile deleted) is refused.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any past shape of the schema
type Db = Kysely<any>

const PROVIDER_TABLES = [
  sql`create table "oauth_clients" ("id" text not null primary key, "client_id" text not null unique, "client_secret" text, "client_discovery_id" text, "disabled" boolean, "skip_consent" boolean, "enable_end_session" boolean, "subject_type" text, "scopes" jsonb, "client_credentials_scopes" jsonb, "user_id" text references "users" ("id") on delete cascade, "created_at" timestamptz, "updated_at" timestamptz, "name" text, "uri" text, "icon" text, "contacts" jsonb, "tos" text, "policy" text, "software_id" text, "software_version" text, "software_statement" text, "redirect_uris" jsonb not null, "post_logout_redirect_uris" jsonb, "backchannel_logout_uri" text, "backchannel_logout_session_required" boolean, "token_endpoint_auth_method" text, "application_type" text, "jwks" text, "jwks_uri" text, "grant_types" jsonb, "response_types" jsonb, "require_pkce" boolean, "dpop_bound_access_tokens" boolean, "reference_id" text, "metadata" jsonb)`,
  sql`create table "oauth_resources" ("id" text not null primary key, "identifier" text not null unique, "name" text not null, "access_token_ttl" integer, "refresh_token_ttl" integer, "signing_algorithm" text, "signing_key_id" text, "allowed_scopes" jsonb, "custom_claims" jsonb, "dpop_bound_access_tokens_required" boolean, "disabled" boolean, "created_at" timestamptz, "updated_at" timestamptz, "policy_version" integer, "metadata" jsonb)`,
  sql`create table "oauth_client_resources" ("id" text not null primary key, "client_id" text not null references "oauth_clients" ("client_id") on delete cascade, "resource_id" text not null references "oauth_resources" ("identifier") on delete cascade, "metadata" jsonb, "created_at" timestamptz)`,
  sql`create table "oauth_refresh_tokens" ("id" text not null primary key, "token" text not null unique, "client_id" text not null references "oauth_clients" ("client_id") on delete cascade, "session_id" text references "sessions" ("id") on delete set null, "user_id" text not null references "users" ("id") on delete cascade, "reference_id" text, "authorization_code_id" text, "resources" jsonb, "requested_user_info_claims" jsonb, "expires_at" timestamptz not null, "created_at" timestamptz not null, "revoked" timestamptz, "rotated_at" timestamptz, "rotation_replay_response" text, "rotation_replay_expires_at" timestamptz, "auth_time" timestamptz, "confirmation" jsonb, "scopes" jsonb not null)`,
  sql`create table "oauth_access_tokens" ("id" text not null primary key, "token" text not null unique, "client_id" text not null references "oauth_clients" ("client_id") on delete cascade, "session_id" text references "sessions" ("id") on delete set null, "user_id" text references "users" ("id") on delete cascade, "reference_id" text, "authorization_code_id" text, "resources" jsonb, "requested_user_info_claims" jsonb, "refresh_id" text references "oauth_refresh_tokens" ("id") on delete cascade, "expires_at" timestamptz not null, "created_at" timestamptz not null, "revoked" timestamptz, "confirmation" jsonb, "scopes" jsonb not null)`,
  sql`create table "oauth_consents" ("id" text not null primary key, "client_id" text not null references "oauth_clients" ("client_id") on delete cascade, "user_id" text references "users" ("id") on delete cascade, "reference_id" text, "resources" jsonb, "requested_user_info_claims" jsonb, "scopes" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null)`,
  sql`create table "oauth_client_assertions" ("id" text not null primary key, "expires_at" timestamptz not null)`,
  sql`create index "oauth_clients_user_id_idx" on "oauth_clients" ("user_id")`,
  sql`create index "oauth_client_resources_client_id_idx" on "oauth_client_resources" ("client_id")`,
  sql`create index "oauth_client_resources_resource_id_idx" on "oauth_client_resources" ("resource_id")`,
  sql`create index "oauth_refresh_tokens_client_id_idx" on "oauth_refresh_tokens" ("client_id")`,
  sql`create index "oauth_refresh_tokens_session_id_idx" on "oauth_refresh_tokens" ("session_id")`,
  sql`create index "oauth_refresh_tokens_user_id_idx" on "oauth_refresh_tokens" ("user_id")`,
  sql`create index "oauth_refresh_tokens_authorization_code_id_idx" on "oauth_refresh_tokens" ("authorization_code_id")`,
  sql`create index "oauth_access_tokens_client_id_idx" on "oauth_access_tokens" ("client_id")`,
  sql`create index "oauth_access_tokens_session_id_idx" on "oauth_access_tokens" ("session_id")`,
  sql`create index "oauth_access_tokens_user_id_idx" on "oauth_access_tokens" ("user_id")`,
  sql`create index "oauth_access_tokens_authorization_code_id_idx" on "oauth_access_tokens" ("authorization_code_id")`,
  sql`create index "oauth_access_tokens_refresh_id_idx" on "oauth_access_tokens" ("refresh_id")`,
  sql`create index "oauth_consents_client_id_idx" on "oauth_consents" ("client_id")`,
  sql`create index "oauth_consents_user_id_idx" on "oauth_consents" ("user_id")`,
  sql`create unique index "oauth_client_resources_client_id_resource_id_uidx" on "oauth_client_resources" ("client_id", "resource_id")`,
]

export async function up(db: Db): Promise<void> {
  for (const statement of PROVIDER_TABLES) await statement.execute(db)
  await db.schema
    .createTable('mcp_client_grants')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (col) =>
      col.notNull().references('oauth_clients.client_id').onDelete('cascade'),
    )
    // null: all the user's tools (`/mcp`); else only this profile's.
    .addColumn('profile_id', 'uuid', (col) => col.references('mcp_profiles.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addPrimaryKeyConstraint('mcp_client_grants_pkey', ['user_id', 'client_id'])
    .execute()
}

export async function down(db: Db): Promise<void> {
  for (const table of [
    'mcp_client_grants',
    'oauth_client_assertions',
    'oauth_consents',
    'oauth_access_tokens',
    'oauth_refresh_tokens',
    'oauth_client_resources',
    'oauth_resources',
    'oauth_clients',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
