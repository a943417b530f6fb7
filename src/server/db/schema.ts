import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

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
  created_at: CreatedAt
  updated_at: Timestamp
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
  last_latency_ms: number | null
  server_info: Json<Record<string, unknown> | null> | null
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
  last_synced_at: Timestamp
  created_at: CreatedAt
  updated_at: Timestamp
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
  source: 'chat' | 'manual' | 'api'
  mode: 'sync' | 'async'
  input: Json
  output: Json | null
  status: ToolCallStatus
  error_code: string | null
  error: string | null
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
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface MessagesTable {
  id: string
  conversation_id: string
  role: 'system' | 'user' | 'assistant'
  parts: Json<unknown[]>
  metadata: Json<Record<string, unknown> | null> | null
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

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  accounts: AccountsTable
  verifications: VerificationsTable
  api_tokens: ApiTokensTable
  mcp_servers: McpServersTable
  mcp_tools: McpToolsTable
  mcp_tool_calls: McpToolCallsTable
  audit_log: AuditLogTable
  conversations: ConversationsTable
  messages: MessagesTable
  user_tool_settings: UserToolSettingsTable
}

export type UserRow = Selectable<UsersTable>
export type ApiTokenRow = Selectable<ApiTokensTable>
export type NewAuditEntry = Insertable<AuditLogTable>
export type McpServerUpdate = Updateable<McpServersTable>
