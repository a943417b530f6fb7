import { type Db, inTransaction } from '../../db/database.ts'
import { replacePrompts } from '../../db/mcp-prompts.ts'
import { replaceResources } from '../../db/mcp-resources.ts'
import {
  deleteTools,
  insertTools,
  listToolsOfServer,
  type McpToolRow,
  touchTools,
  updateTool,
} from '../../db/mcp-tools.ts'
import { storeUiResources } from '../../db/mcp-ui-resources.ts'
import type { DiscoveredTool, DiscoveryResult } from './discovery.ts'

export interface ToolSyncOutcome {
  added: string[]
  removed: string[]
  /** Definitions the server changed; marked `changed` until the user accepts them. */
  changed: string[]
}

/** The definition a user accepts or sees diffed: everything the hash covers. */
export function definitionOf(tool: McpToolRow): Record<string, unknown> {
  return {
    title: tool.title,
    description: tool.description,
    inputSchema: tool.input_schema,
    outputSchema: tool.output_schema,
    annotations: tool.annotations,
    execution: tool.execution,
    ...(tool.ui ? { ui: tool.ui, uiResourceHash: tool.ui_resource_hash } : {}),
  }
}

/**
 * Makes the cached tools of a server equal to what it just listed: new tools appear, removed ones
 * disappear, and a changed definition replaces the old one but is marked, keeping the definition
 * the user last accepted, so a server cannot change a tool behind their back unnoticed.
 * An app (MCP Apps UI resource) read with a different hash than the one accepted changes its
 * tools the same way; one that could not be read this time changes nothing.
 * Runs in one transaction: readers see the old list or the new one, never half.
 */
export async function storeDiscoveredTools(
  db: Db,
  input: {
    serverId: string
    tools: DiscoveredTool[]
    now: Date
    /** The hash of each UI resource read with this listing, by URI. */
    uiHashes?: Map<string, string>
  },
): Promise<ToolSyncOutcome> {
  return inTransaction(db, async (trx) => {
    const existing = new Map((await listToolsOfServer(trx, input)).map((t) => [t.name, t]))
    const outcome: ToolSyncOutcome = { added: [], removed: [], changed: [] }
    const fresh = []
    for (const tool of input.tools) {
      const uiHash = tool.ui ? input.uiHashes?.get(tool.ui.resourceUri) : undefined
      const columns = {
        title: tool.title,
        description: tool.description,
        input_schema: JSON.stringify(tool.inputSchema),
        output_schema: tool.outputSchema ? JSON.stringify(tool.outputSchema) : null,
        annotations: tool.annotations ? JSON.stringify(tool.annotations) : null,
        execution: tool.execution ? JSON.stringify(tool.execution) : null,
        schema_hash: tool.hash,
        ui: tool.ui ? JSON.stringify(tool.ui) : null,
        // Unread this time: keep the accepted one (a server that fails once changes nothing).
        ...(uiHash ? { ui_resource_hash: uiHash } : {}),
        last_synced_at: input.now,
      }
      const old = existing.get(tool.name)
      existing.delete(tool.name)
      // A first read (no hash yet) is no change; a different read is.
      const uiChanged = Boolean(old?.ui_resource_hash && uiHash && old.ui_resource_hash !== uiHash)
      if (!old) {
        fresh.push({ server_id: input.serverId, name: tool.name, ...columns })
        outcome.added.push(tool.name)
      } else if (old.schema_hash !== tool.hash || uiChanged) {
        // Keep the first unaccepted change's baseline: the user compares against what they accepted.
        const baseline = old.changed_at ? old.previous_definition : definitionOf(old)
        await updateTool(trx, {
          id: old.id,
          values: {
            ...columns,
            changed_at: input.now,
            previous_definition: JSON.stringify(baseline),
          },
        })
        outcome.changed.push(tool.name)
      }
    }
    // One statement marks every remaining tool as seen now, instead of a write per tool.
    await touchTools(trx, { serverId: input.serverId, at: input.now })
    await insertTools(trx, fresh)
    await deleteTools(trx, { ids: [...existing.values()].map((t) => t.id) })
    outcome.removed = [...existing.keys()]
    return outcome
  })
}

/**
 * Stores what a listing found: the tools (`storeDiscoveredTools`) and, when they were listed,
 * the resources and templates, and the prompts, which replace the stored ones unless unchanged. Run it in the
 * caller's transaction. Returns how the tools changed.
 */
export async function storeCatalog(
  db: Db,
  input: { serverId: string; discovery: DiscoveryResult; now: Date },
): Promise<ToolSyncOutcome> {
  const { serverId, discovery, now } = input
  const ui = discovery.uiResources ?? []
  const uiHashes = new Map(ui.map((resource) => [resource.uri, resource.hash]))
  const tools = await storeDiscoveredTools(db, { serverId, tools: discovery.tools, now, uiHashes })
  const keep = discovery.tools.flatMap((tool) => (tool.ui ? [tool.ui.resourceUri] : []))
  await storeUiResources(db, { serverId, resources: ui, keep, now })
  const listing = discovery.resources
  if (listing) {
    const rows = [...listing.resources, ...listing.templates].map((entry, index) => ({
      kind: entry.kind,
      uri: entry.uri,
      name: entry.name,
      title: entry.title,
      description: entry.description,
      mime_type: entry.mimeType,
      size: entry.size,
      annotations: entry.annotations ? JSON.stringify(entry.annotations) : null,
      position: index,
    }))
    await replaceResources(db, { serverId, hash: listing.hash, rows })
  }
  const prompts = discovery.prompts
  if (prompts) {
    const rows = prompts.prompts.map((prompt, index) => ({
      name: prompt.name,
      title: prompt.title,
      description: prompt.description,
      arguments: JSON.stringify(prompt.arguments),
      position: index,
    }))
    await replacePrompts(db, { serverId, hash: prompts.hash, rows })
  }
  return tools
}
