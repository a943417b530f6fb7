/**
 * The MCP App of a tool, for its card: the UI resource cached when the tool was listed
 * (ui-resources.ts), if the tool is the user's, the server renders apps, and the user accepted
 * the tool's current definition (a changed app is a changed tool).
 *
 * @module
 */
import { reasonOf } from '../../../shared/error-reasons.ts'
import { CspOriginSchema, type McpAppCsp, type McpAppView } from '../../../shared/mcp-apps.ts'
import type { Db } from '../../db/database.ts'
import { findToolForUser } from '../../db/mcp-tools.ts'
import { findUiResource } from '../../db/mcp-ui-resources.ts'
import type { ToolUiMeta } from '../../db/schema.ts'
import { AppError, NotFoundError } from '../../errors.ts'
import { getServer } from '../servers/servers.ts'

export async function getToolApp(
  deps: { db: Db },
  input: { userId: string; serverId: string; toolId: string },
): Promise<McpAppView> {
  const server = await getServer(deps, { userId: input.userId, id: input.serverId })
  const tool = await findToolForUser(deps.db, input)
  if (!tool) throw new NotFoundError('tool')
  const ui = tool.ui as ToolUiMeta | null
  if (!server.apps_shown) {
    throw new AppError('disabled', `apps of "${server.name}" are switched off for you`, {
      details: { disabled: 'apps' },
      reason: reasonOf('app.renderingOff', { server: server.name }),
    })
  }
  if (tool.changed_at !== null) {
    throw new AppError(
      'tool_changed',
      `the server "${server.name}" changed the tool "${tool.name}" (or its app) since it was ` +
        'accepted: review the change on the Servers page and accept it to see the app again',
      {
        details: { serverId: server.id, toolId: tool.id },
        reason: reasonOf('toolCall.toolChanged', { tool: tool.name, server: server.name }),
      },
    )
  }
  const resource =
    ui && (await findUiResource(deps.db, { serverId: server.id, uri: ui.resourceUri }))
  if (!ui || !resource) {
    throw new AppError('not_found', `the tool "${tool.name}" has no app that could be read`, {
      reason: reasonOf('app.unavailable', { tool: tool.name }),
    })
  }
  const meta = (resource.meta ?? {}) as Record<string, unknown>
  return {
    toolId: tool.id,
    serverId: server.id,
    resourceUri: ui.resourceUri,
    html: resource.html,
    csp: cspOf(meta.csp),
    permissions: isObject(meta.permissions) ? (meta.permissions as McpAppView['permissions']) : {},
    prefersBorder: typeof meta.prefersBorder === 'boolean' ? meta.prefersBorder : null,
  }
}

const CSP_KEYS = ['connectDomains', 'resourceDomains', 'frameDomains', 'baseUriDomains'] as const

/**
 * The origins the app declared, per directive, and only origins: an entry that is anything else
 * (a path, a keyword, a list separator) is dropped, so it can never widen the sandbox's CSP.
 */
function cspOf(value: unknown): McpAppCsp {
  if (!isObject(value)) return {}
  const csp: McpAppCsp = {}
  for (const key of CSP_KEYS) {
    const list = value[key]
    if (!Array.isArray(list)) continue
    const origins = list
      .filter((entry): entry is string => typeof entry === 'string')
      // "https://cdn.example.com/" names the same origin as without the slash.
      .map((entry) => entry.replace(/\/$/, ''))
      .filter((entry) => CspOriginSchema.safeParse(entry).success)
    csp[key] = [...new Set(origins)].slice(0, 32)
  }
  return csp
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
