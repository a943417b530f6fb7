/**
 * What an MCP App may call (spec 2026-01-26, "tools/call" from the View): only tools of its own
 * server, only while the app's tool is the user's and the user shows that server's apps, and
 * never a tool that asks for approval
 * unless the user confirmed this call in the card. The rest of the proxy (ownership, switches,
 * changed tools, argument validation, rate limits, the log) applies as to any other call.
 *
 * @module
 */
import { asksFirst } from '../../shared/approval.ts'
import { reasonOf } from '../../shared/error-reasons.ts'
import type { McpServerRowWithCounts } from '../db/mcp-servers.ts'
import { findToolWithServerForUser, type McpToolWithServer } from '../db/mcp-tools.ts'
import { AppError } from '../errors.ts'
import type { ToolCallDeps } from './tool-call-service.ts'
import type { ToolCallInput } from './types.ts'

/** Null when the app may make this call; else the error to refuse it with. */
export async function checkAppCall(
  deps: Pick<ToolCallDeps, 'db'>,
  input: ToolCallInput,
  target: { tool: McpToolWithServer; server: McpServerRowWithCounts },
): Promise<AppError | null> {
  const { tool, server } = target
  const app = input.app
  const appTool =
    app && (await findToolWithServerForUser(deps.db, { userId: input.user.id, toolId: app.toolId }))
  if (!app || !appTool?.ui || appTool.server_id !== tool.server_id) {
    return new AppError(
      'forbidden',
      `an app may call only the tools of its own server; "${tool.name}" is not one of them`,
      { reason: reasonOf('toolCall.appOtherServer', { tool: tool.name }) },
    )
  }
  if (!server.apps_shown) {
    // No card shows its apps: nothing the user sees can be asking.
    return new AppError('disabled', `apps of "${server.name}" are switched off for you`, {
      details: { disabled: 'apps' },
      reason: reasonOf('app.renderingOff', { server: server.name }),
    })
  }
  const annotations = tool.annotations as Record<string, unknown> | null
  if (asksFirst(tool.approval_policy, annotations) && !app.approved) {
    return new AppError(
      'approval_required',
      `"${tool.name}" asks for your approval: confirm the app's call in its card`,
      { reason: reasonOf('toolCall.appApprovalRequired', { tool: tool.name }) },
    )
  }
  return null
}
