import { useQuery } from '@tanstack/react-query'
import { serverQueries } from '../api/mcp-servers.ts'

/** The tool has an MCP App (accepted as it is now) and its server renders apps. */
export function useToolHasApp(
  serverId: string | null | undefined,
  toolId: string | null | undefined,
): boolean {
  const enabled = Boolean(serverId && toolId)
  const tools = useQuery({ ...serverQueries.tools(serverId ?? ''), enabled })
  const servers = useQuery({ ...serverQueries.list(), enabled })
  const tool = tools.data?.find((t) => t.id === toolId)
  const server = servers.data?.find((s) => s.id === serverId)
  return Boolean(tool?.app && !tool.changed && server?.renderApps)
}
