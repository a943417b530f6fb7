import type { ApprovalPolicy } from './mcp-servers.ts'

/**
 * Whether a call of the tool waits for the user's approval, in chat and from the personal MCP
 * endpoint alike: `always` asks, `never` does not; `auto` asks unless the tool says it is
 * read-only and not destructive (MCP annotations: `readOnlyHint: true`, `destructiveHint` not
 * true). The servers page shows the same answer on each tool's row.
 */
export function asksFirst(
  policy: ApprovalPolicy,
  annotations: Record<string, unknown> | null | undefined,
): boolean {
  if (policy === 'always') return true
  if (policy === 'never') return false
  return !(annotations?.readOnlyHint === true && annotations.destructiveHint !== true)
}
