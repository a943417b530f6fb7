import type { Config } from '../../config/config.ts'
import type { Db } from '../../db/database.ts'
import { listServersForUser } from '../../db/mcp-servers.ts'
import { listEnabledToolsForUser, type McpToolWithServer } from '../../db/mcp-tools.ts'
import type { ToolUiMeta } from '../../db/schema.ts'
import { visibleServers } from '../servers/shared.ts'

/**
 * The tools a model may be offered for this user, from the tool cache (no upstream round trip):
 * switched on, on a server that is switched on and that the user sees (a shared server shadowed
 * by the user's own of the same name is not offered), and not changed behind the user's back
 * (a tool whose definition changed waits until the user accepts the change), and not only for
 * apps (an MCP App tool with `visibility: ["app"]` is its app's, never the model's).
 */
export async function listOfferableTools(
  deps: { db: Db; config: Pick<Config, 'mcpServers'> },
  input: { userId: string },
): Promise<McpToolWithServer[]> {
  const [tools, servers] = await Promise.all([
    listEnabledToolsForUser(deps.db, input),
    listServersForUser(deps.db, input),
  ])
  const visible = new Set(visibleServers(deps.config, servers).map((server) => server.id))
  return tools.filter(
    (tool) => visible.has(tool.server_id) && tool.changed_at === null && forModel(tool.ui),
  )
}

function forModel(ui: ToolUiMeta | null): boolean {
  return !ui?.visibility || ui.visibility.includes('model')
}
