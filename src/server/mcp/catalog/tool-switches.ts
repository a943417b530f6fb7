import { type AuditSource, recordAudit, SYSTEM } from '../../audit/audit-log.ts'
import { listToolsForUser, type McpToolRow, setToolsEnabled } from '../../db/mcp-tools.ts'
import type { Logger } from '../../log.ts'
import { getServer } from '../servers/servers.ts'
import { type ServerStateDeps, serverChanged } from '../servers/state.ts'

/** A switch changes the server's state (state.ts) and is audited. */
export interface ToolSwitchDeps extends ServerStateDeps {
  log: Logger
}

/** Tool names an audit entry lists, at most: the count says how many there were. */
const MAX_NAMED_TOOLS = 50

export interface ToolSwitchResult {
  /** How many tools this request switched (those already so are left alone). */
  changed: number
  /** The server's tools as the user now sees them. */
  tools: McpToolRow[]
}

/**
 * Switches all of a server's tools on or off at once ("Enable all" / "Disable all"), or only
 * `toolIds` among them: one statement, one change announced, one audit entry naming the tools
 * that changed. On a shared server it sets the user's own switches, as a single switch does.
 */
export async function switchServerTools(
  deps: ToolSwitchDeps,
  input: {
    userId: string
    serverId: string
    enabled: boolean
    toolIds?: readonly string[] | undefined
  } & AuditSource,
): Promise<ToolSwitchResult> {
  const server = await getServer(deps, { userId: input.userId, id: input.serverId })
  const tools = await listToolsForUser(deps.db, { userId: input.userId, serverId: server.id })
  const asked = input.toolIds ? new Set(input.toolIds) : null
  const switching = tools.filter(
    (tool) => tool.enabled !== input.enabled && (asked === null || asked.has(tool.id)),
  )
  if (switching.length === 0) return { changed: 0, tools }
  await setToolsEnabled(deps.db, {
    userId: input.userId,
    serverId: server.id,
    toolIds: switching.map((tool) => tool.id),
    enabled: input.enabled,
    shared: server.user_id === null,
  })
  await serverChanged(deps, { userId: input.userId, serverId: server.id })
  const names = switching.map((tool) => tool.name)
  await recordAudit(deps, {
    userId: input.userId,
    actor: input.actor ?? SYSTEM,
    action: input.enabled ? 'tool.enabled_all' : 'tool.disabled_all',
    target: { type: 'mcp_server', id: server.id },
    ip: input.ip,
    details: {
      serverId: server.id,
      server: server.name,
      count: names.length,
      tools: names.slice(0, MAX_NAMED_TOOLS),
    },
  })
  return {
    changed: switching.length,
    tools: await listToolsForUser(deps.db, { userId: input.userId, serverId: server.id }),
  }
}
