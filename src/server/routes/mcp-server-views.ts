import type { McpPromptView } from '../../shared/mcp-prompts.ts'
import type { McpResourceView } from '../../shared/mcp-resources.ts'
import type { McpServerView, McpToolView, ServerInfo } from '../../shared/mcp-servers.ts'
import type { McpPromptRow } from '../db/mcp-prompts.ts'
import type { McpResourceRow } from '../db/mcp-resources.ts'
import type { McpServerRowWithCounts } from '../db/mcp-servers.ts'
import type { McpToolRow } from '../db/mcp-tools.ts'
import type { ToolUiMeta } from '../db/schema.ts'
import { toAuthView } from '../mcp/servers/secrets.ts'

// The reply schemas have no field for auth_data: a secret cannot reach a reply.

export function toServerView(row: McpServerRowWithCounts): McpServerView {
  const config = row.config as { timeouts?: McpServerView['timeouts'] }
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    transport: row.transport,
    url: row.url,
    source: row.user_id === null ? 'config' : 'user',
    enabled: row.enabled,
    renderApps: row.apps_shown,
    status: row.status,
    lastCheckedAt: row.last_checked_at?.toISOString() ?? null,
    lastError: row.last_error,
    lastErrorReason: row.last_error ? (row.last_error_reason ?? null) : null,
    lastLatencyMs: row.last_latency_ms,
    serverInfo: (row.server_info as ServerInfo | null) ?? null,
    auth: toAuthView(row),
    timeouts: config.timeouts ?? {},
    toolCount: row.tool_count,
    enabledToolCount: row.enabled_tool_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

export function toToolView(row: McpToolRow): McpToolView {
  const ui = row.ui as ToolUiMeta | null
  return {
    id: row.id,
    serverId: row.server_id,
    name: row.name,
    title: row.title,
    description: row.description,
    inputSchema: row.input_schema,
    outputSchema: row.output_schema,
    annotations: row.annotations,
    enabled: row.enabled,
    approvalPolicy: row.approval_policy,
    changed: row.changed_at !== null,
    previousDefinition: row.previous_definition,
    app: ui
      ? {
          resourceUri: ui.resourceUri,
          visibility: ui.visibility ?? ['model', 'app'],
          hash: row.ui_resource_hash,
        }
      : null,
    lastSyncedAt: row.last_synced_at.toISOString(),
  }
}

export function toResourceView(row: McpResourceRow): McpResourceView {
  return {
    id: row.id,
    serverId: row.server_id,
    kind: row.kind,
    uri: row.uri,
    name: row.name,
    title: row.title,
    description: row.description,
    mimeType: row.mime_type,
    size: row.size,
    annotations: row.annotations,
  }
}

export function toPromptView(row: McpPromptRow): McpPromptView {
  return {
    id: row.id,
    serverId: row.server_id,
    name: row.name,
    title: row.title,
    description: row.description,
    arguments: row.arguments,
  }
}
