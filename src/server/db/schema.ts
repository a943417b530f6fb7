import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { ErrorReason } from '../../shared/error-reasons.ts'
import type { ProfileToolNames } from '../../shared/mcp-profiles.ts'

// The Kysely view of the tables created in migrations/. snake_case here; camelCase on the wire.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Json<T = unknown> = ColumnType<T, string, string>

export interface UsersTable {
  id: string
  email: string
  name: string
  email_verified: Generated<boolean>
  image: string | null
  role: Generated<'admin' | 'user'>
  /** Disabled by an admin (better-auth's admin plugin calls it banned; 0018). */
  banned: Generated<boolean>
  ban_reason: Generated<string | null>
  ban_expires: Generated<Date | null>
  /** When a session was last created for the user (0018). */
  last_sign_in_at: Generated<Date | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface SessionsTable {
  id: string
  user_id: string
  token: string
  expires_at: Date
  ip_address: string | null
  user_agent: string | null
  impersonated_by: Generated<string | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface AccountsTable {
  id: string
  user_id: string
  account_id: string
  provider_id: string
  access_token: string | null
  refresh_token: string | null
  id_token: string | null
  access_token_expires_at: Date | null
  refresh_token_expires_at: Date | null
  scope: string | null
  password: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface VerificationsTable {
  id: string
  identifier: string
  value: string
  expires_at: Date
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ApiTokensTable {
  id: Generated<string>
  user_id: string
  name: string
  prefix: string
  token_hash: string
  last_used_at: Date | null
  expires_at: Date | null
  /** Scoped to one MCP endpoint profile: usable there only (null: the whole API and /mcp). */
  profile_id: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

/** A named subset of a user's servers, served at `/mcp/p/<name>`. */
export interface McpProfilesTable {
  id: Generated<string>
  user_id: string
  name: string
  server_ids: Json<string[]>
  /** Single tools it offers besides its servers' (0015). */
  tool_ids: ColumnType<string[], string | undefined, string>
  /** 'search': only `search_tools` and `call_tool` are listed (0015). */
  tool_mode: Generated<'all' | 'search'>
  /** How it names tools and prompts to clients (0016). */
  tool_names: Generated<ProfileToolNames>
  created_at: CreatedAt
  updated_at: Timestamp
}

/** Rows of better-auth's OAuth provider (migration 0017): only the columns we read ourselves. */
export interface OAuthClientsTable {
  id: string
  client_id: string
  name: string | null
  uri: string | null
  icon: string | null
  redirect_uris: Json<string[]>
  disabled: boolean | null
  client_discovery_id: string | null
  created_at: Date | null
}

export interface OAuthAccessTokensTable {
  id: string
  token: string
  client_id: string
  user_id: string | null
  resources: Json<string[]> | null
  scopes: Json<string[]>
  expires_at: Date
  created_at: Date
  revoked: Date | null
}

export interface OAuthRefreshTokensTable {
  id: string
  client_id: string
  user_id: string
  revoked: Date | null
  rotation_replay_response: string | null
  rotation_replay_expires_at: Date | null
}

export interface OAuthConsentsTable {
  id: string
  client_id: string
  user_id: string | null
  scopes: Json<string[]>
  created_at: Date
  updated_at: Date
}

/** Which endpoint profile a user gave an OAuth client (null: all tools), and its last use. */
export interface McpClientGrantsTable {
  user_id: string
  client_id: string
  profile_id: string | null
  created_at: CreatedAt
  last_used_at: Date | null
}

export type McpTransport = 'streamable-http' | 'sse' | 'websocket' | 'stdio'
export type McpAuthType = 'none' | 'bearer' | 'headers' | 'oauth'
export type McpServerStatus = 'unknown' | 'online' | 'offline' | 'error' | 'needs_auth'

export interface McpServersTable {
  id: Generated<string>
  user_id: string | null
  name: string
  description: string | null
  transport: McpTransport
  url: string | null
  config: Json<Record<string, unknown>>
  auth_type: Generated<McpAuthType>
  auth_data: string | null
  enabled: Generated<boolean>
  status: Generated<McpServerStatus>
  last_checked_at: Date | null
  last_error: string | null
  /** `last_error` as `{ key, params }` (shared/error-reasons.ts), for the UI to translate. */
  last_error_reason: Json<ErrorReason | null> | null
  last_latency_ms: number | null
  server_info: Json<Record<string, unknown> | null> | null
  /** When the fleet's health check is next due (health-checker.ts); null: not yet placed. */
  next_check_at: Date | null
  /** The instance that checks it, so its pooled session is reused; others take it when late. */
  check_owner: string | null
  /** Render MCP Apps of this server's tools in chat and the tester (migration 0012). */
  render_apps: Generated<boolean>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface McpToolsTable {
  id: Generated<string>
  server_id: string
  name: string
  title: string | null
  description: string | null
  input_schema: Json<Record<string, unknown>>
  output_schema: Json<Record<string, unknown> | null> | null
  annotations: Json<Record<string, unknown> | null> | null
  execution: Json<Record<string, unknown> | null> | null
  enabled: Generated<boolean>
  schema_hash: string
  changed_at: Date | null
  previous_definition: Json<Record<string, unknown> | null> | null
  approval_policy: Generated<'auto' | 'always' | 'never'>
  /** The tool's `_meta.ui` (MCP Apps): `{ resourceUri, visibility? }`, or null. */
  ui: Json<ToolUiMeta | null> | null
  /** Hash of the UI resource's version the user accepted; null until first read. */
  ui_resource_hash: string | null
  last_synced_at: Timestamp
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ToolUiMeta {
  resourceUri: string
  visibility?: Array<'model' | 'app'>
}

/** A user's own settings for a shared server (migration 0012). */
export interface UserServerSettingsTable {
  user_id: string
  server_id: string
  /** null: the server's own `render_apps`. */
  render_apps: boolean | null
  created_at: CreatedAt
  updated_at: Timestamp
}

/** A tool's UI resource (MCP Apps) as discovery last read it. */
export interface McpUiResourcesTable {
  id: Generated<string>
  server_id: string
  uri: string
  html: string
  meta: Json<Record<string, unknown> | null> | null
  hash: string
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface McpResourcesTable {
  id: Generated<string>
  server_id: string
  kind: 'resource' | 'template'
  /** The resource's `uri`, or the template's `uriTemplate`. */
  uri: string
  name: string
  title: string | null
  description: string | null
  mime_type: string | null
  size: number | null
  annotations: Json<Record<string, unknown> | null> | null
  position: number
  created_at: CreatedAt
}

/** One argument of a prompt, as the server declares it. */
export interface McpPromptArgument {
  name: string
  title?: string
  description?: string
  required: boolean
}

export interface McpPromptsTable {
  id: Generated<string>
  server_id: string
  name: string
  title: string | null
  description: string | null
  arguments: Json<McpPromptArgument[]>
  position: number
  created_at: CreatedAt
}

export type ToolCallStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'timeout'
  | 'cancelled'
  | 'interrupted'

export interface McpToolCallsTable {
  id: Generated<string>
  user_id: string
  server_id: string | null
  tool_id: string | null
  server_name: string
  tool_name: string
  conversation_id: string | null
  message_id: string | null
  source: 'chat' | 'manual' | 'api' | 'app' | 'mcp'
  /** With source `mcp`: the name the MCP client gave itself. */
  client_name: string | null
  mode: 'sync' | 'async'
  input: Json
  output: Json | null
  status: ToolCallStatus
  error_code: string | null
  error: string | null
  /** `error` as `{ key, params }` (shared/error-reasons.ts), for the UI to translate. */
  error_reason: Json<ErrorReason | null> | null
  progress: Json | null
  started_at: Date | null
  finished_at: Date | null
  duration_ms: number | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface AuditLogTable {
  id: Generated<string>
  user_id: string | null
  actor: string
  action: string
  target_type: string | null
  target_id: string | null
  ip: string | null
  details: Json<Record<string, unknown>>
  at: CreatedAt
}

export interface ConversationsTable {
  id: Generated<string>
  user_id: string
  title: string
  model: string | null
  /** The user's own system prompt for this conversation (migration 0006). */
  instructions: string | null
  /** The servers whose tools it offers; null: all of the user's (migration 0006). */
  server_ids: Json<string[] | null> | null
  /** The leaf of the branch on show (migration 0005); null: the newest message. */
  current_message_id: string | null
  /** Listed first (migration 0005). */
  pinned: Generated<boolean>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface MessagesTable {
  id: string
  conversation_id: string
  /** The message it follows (migration 0005); null for the first. Siblings are branches. */
  parent_id: string | null
  role: 'system' | 'user' | 'assistant'
  parts: Json<unknown[]>
  metadata: Json<Record<string, unknown> | null> | null
  /** The text of its text parts, for search (migration 0005). */
  search_text: Generated<string>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface UserToolSettingsTable {
  user_id: string
  tool_id: string
  enabled: boolean | null
  approval_policy: 'auto' | 'always' | 'never' | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ModelFavouritesTable {
  user_id: string
  model_id: string
  created_at: CreatedAt
}

export type ModelProviderKind = 'openrouter' | 'openai-compatible'

export interface ModelProvidersTable {
  id: Generated<string>
  kind: ModelProviderKind
  name: string
  base_url: string | null
  /** Secret-box envelope (owner null); never leaves the server. */
  api_key: string | null
  models: Json<{ id: string; label: string | null }[]>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ModelSettingsTable {
  id: number
  default_model: string | null
  user_keys_allowed: boolean
  updated_at: Timestamp
}

export interface UserModelSettingsTable {
  user_id: string
  /** Secret-box envelope sealed for the user. */
  openrouter_key: string | null
  daily_message_limit: number | null
  updated_at: Timestamp
}

export interface ChatUsageTable {
  id: Generated<string>
  user_id: string
  conversation_id: string | null
  message_id: string
  model: string
  provider_id: string | null
  user_key: boolean
  status: string
  input_tokens: number
  output_tokens: number
  cost: number | null
  tool_calls: number
  tool_errors: number
  created_at: CreatedAt
}

export type ModelProviderRow = Selectable<ModelProvidersTable>

export interface ChatPresetsTable {
  id: Generated<string>
  user_id: string
  name: string
  model: string | null
  instructions: string | null
  server_ids: Json<string[] | null> | null
  created_at: CreatedAt
  updated_at: Timestamp
}

/** A file attached to a chat message (migration 0007); the bytes are in the row. */
export interface AttachmentsTable {
  id: Generated<string>
  user_id: string
  /** Null until the message that names it is sent. */
  conversation_id: string | null
  filename: string
  media_type: string
  kind: 'image' | 'text' | 'pdf'
  size: number
  sha256: string
  /** PGlite reads bytea as a Uint8Array, pg as a Buffer (a Uint8Array too). */
  content: ColumnType<Uint8Array, Uint8Array, never>
  /** A PDF's text, read at upload; null for other kinds. */
  extracted_text: string | null
  /** A resource attached with `@`: its server's name when attached, and its URI; else null. */
  source_server: string | null
  source_uri: string | null
  created_at: CreatedAt
}

/** When a user last used Switchboard (servers of users away are checked less often). */
export interface UserActivityTable {
  user_id: string
  active_at: Date
}

/** Instances running health checks, and when each last said so. */
export interface HealthCheckInstancesTable {
  id: string
  seen_at: Date
}

/** A one-time link to register (0018); the row is deleted when it is used. */
export interface UserInvitationsTable {
  id: Generated<string>
  email: string
  role: 'admin' | 'user'
  token_hash: string
  created_by: string | null
  expires_at: Date
  created_at: CreatedAt
}

/** The admin's registration policy: one row (0018). */
export interface RegistrationSettingsTable {
  id: Generated<boolean>
  mode: 'open' | 'invite-only' | 'closed' | 'domains'
  domains: Json<string[]>
  updated_by: string | null
  updated_at: Timestamp
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  accounts: AccountsTable
  verifications: VerificationsTable
  api_tokens: ApiTokensTable
  mcp_profiles: McpProfilesTable
  mcp_servers: McpServersTable
  mcp_tools: McpToolsTable
  mcp_resources: McpResourcesTable
  mcp_prompts: McpPromptsTable
  mcp_ui_resources: McpUiResourcesTable
  user_server_settings: UserServerSettingsTable
  mcp_tool_calls: McpToolCallsTable
  audit_log: AuditLogTable
  conversations: ConversationsTable
  messages: MessagesTable
  user_tool_settings: UserToolSettingsTable
  model_favourites: ModelFavouritesTable
  chat_presets: ChatPresetsTable
  attachments: AttachmentsTable
  user_activity: UserActivityTable
  health_check_instances: HealthCheckInstancesTable
  oauth_clients: OAuthClientsTable
  oauth_access_tokens: OAuthAccessTokensTable
  oauth_refresh_tokens: OAuthRefreshTokensTable
  oauth_consents: OAuthConsentsTable
  mcp_client_grants: McpClientGrantsTable
  model_providers: ModelProvidersTable
  model_settings: ModelSettingsTable
  user_model_settings: UserModelSettingsTable
  chat_usage: ChatUsageTable
  user_invitations: UserInvitationsTable
  registration_settings: RegistrationSettingsTable
}

export type UserRow = Selectable<UsersTable>
export type ApiTokenRow = Selectable<ApiTokensTable>
export type NewAuditEntry = Insertable<AuditLogTable>
export type McpServerUpdate = Updateable<McpServersTable>
