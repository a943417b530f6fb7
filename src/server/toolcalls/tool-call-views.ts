import type { ErrorReason } from '../../shared/error-reasons.ts'
import type { ToolCallOutput, ToolCallProgress, ToolCallView } from '../../shared/tool-calls.ts'
import type { ToolCallRecord, ToolCallRow } from '../db/mcp-tool-calls.ts'

/** A call as the service holds it while it runs: parsed values, written as a record. */
export interface CallState {
  id: string
  userId: string
  serverId: string | null
  toolId: string | null
  serverName: string
  toolName: string
  conversationId: string | null
  messageId: string | null
  source: ToolCallView['source']
  /** With source `mcp`: the name the MCP client gave itself. */
  clientName: string | null
  mode: ToolCallView['mode']
  /** Already masked. */
  input: Record<string, unknown>
  output: ToolCallOutput | null
  status: ToolCallView['status']
  errorCode: string | null
  error: string | null
  /** `error` as a message id and parameters, for the UI to say in the reader's language. */
  errorReason: ErrorReason | null
  progress: ToolCallProgress | null
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
  durationMs: number | null
  updatedAt: Date
}

export function recordOf(state: CallState): ToolCallRecord {
  return {
    id: state.id,
    user_id: state.userId,
    server_id: state.serverId,
    tool_id: state.toolId,
    server_name: state.serverName,
    tool_name: state.toolName,
    conversation_id: state.conversationId,
    message_id: state.messageId,
    source: state.source,
    client_name: state.clientName,
    mode: state.mode,
    input: JSON.stringify(state.input),
    output: state.output ? JSON.stringify(state.output) : null,
    status: state.status,
    error_code: state.errorCode,
    error: state.error,
    error_reason: state.errorReason ? JSON.stringify(state.errorReason) : null,
    progress: state.progress ? JSON.stringify(state.progress) : null,
    started_at: state.startedAt,
    finished_at: state.finishedAt,
    duration_ms: state.durationMs,
    created_at: state.createdAt,
    updated_at: state.updatedAt,
  }
}

export function viewOfState(state: CallState): ToolCallView {
  return {
    id: state.id,
    serverId: state.serverId,
    serverName: state.serverName,
    toolId: state.toolId,
    toolName: state.toolName,
    conversationId: state.conversationId,
    messageId: state.messageId,
    source: state.source,
    clientName: state.clientName,
    mode: state.mode,
    status: state.status,
    input: state.input,
    output: state.output,
    errorCode: state.errorCode,
    error: state.error,
    errorReason: state.errorReason,
    progress: state.progress,
    createdAt: state.createdAt.toISOString(),
    startedAt: iso(state.startedAt),
    finishedAt: iso(state.finishedAt),
    durationMs: state.durationMs,
  }
}

/** A row read back from the database (jsonb arrives parsed on both drivers). */
export function viewOfRow(row: ToolCallRow): ToolCallView {
  return {
    id: row.id,
    serverId: row.server_id,
    serverName: row.server_name,
    toolId: row.tool_id,
    toolName: row.tool_name,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    source: row.source,
    clientName: row.client_name ?? null,
    mode: row.mode,
    status: row.status,
    input: (row.input ?? {}) as Record<string, unknown>,
    output: (row.output ?? null) as ToolCallOutput | null,
    errorCode: row.error_code,
    error: row.error,
    errorReason: row.error ? (row.error_reason ?? null) : null,
    progress: (row.progress ?? null) as ToolCallProgress | null,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    durationMs: row.duration_ms,
  }
}

/** A record queued in the call log but not written yet. */
export function viewOfRecord(record: ToolCallRecord): ToolCallView {
  const parse = (text: string | null | undefined) => (text ? JSON.parse(text) : null)
  return viewOfRow({
    ...record,
    server_id: record.server_id ?? null,
    tool_id: record.tool_id ?? null,
    conversation_id: record.conversation_id ?? null,
    message_id: record.message_id ?? null,
    client_name: record.client_name ?? null,
    input: parse(record.input) ?? {},
    output: parse(record.output),
    progress: parse(record.progress),
    error_reason: parse(record.error_reason),
    error_code: record.error_code ?? null,
    error: record.error ?? null,
    started_at: toDate(record.started_at),
    finished_at: toDate(record.finished_at),
    duration_ms: record.duration_ms ?? null,
    created_at: toDate(record.created_at) ?? new Date(),
    updated_at: toDate(record.updated_at) ?? new Date(),
  })
}

function iso(value: Date | string | null): string | null {
  return value ? new Date(value).toISOString() : null
}

function toDate(value: Date | string | null | undefined): Date | null {
  return value ? new Date(value) : null
}
