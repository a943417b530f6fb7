import type { ConfigServer } from '../../shared/config.ts'
import { HeaderValueSchema } from '../../shared/mcp-servers.ts'
import { ConfigError, type SharedServerConfig } from './config.ts'

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i

/**
 * Turns `mcpServers:` entries into connectable configs, expanding `${VAR}` from the environment
 * so secrets can stay out of the file. Only the operator's file is expanded, never user input.
 */
export function readSharedServers(
  entries: Record<string, ConfigServer> | undefined,
  env: Record<string, string | undefined>,
): SharedServerConfig[] {
  return Object.entries(entries ?? {}).map(([name, entry]) => {
    const expand = (value: string, path: string) =>
      value.replace(VARIABLE, (_, variable: string) => {
        const found = env[variable]
        if (found === undefined) {
          throw new ConfigError(`mcpServers.${name}.${path}: \${${variable}} is not set`)
        }
        return found
      })
    const headers = (values: Record<string, string> | undefined) =>
      Object.fromEntries(
        Object.entries(values ?? {}).map(([key, value]) => {
          const expanded = expand(value, `headers.${key}`)
          // Checked after expansion: a variable may carry a line break. Never quote the value.
          const checked = HeaderValueSchema.safeParse(expanded)
          if (!checked.success) {
            throw new ConfigError(
              `mcpServers.${name}.headers.${key}: ${checked.error.issues[0]?.message ?? 'not a valid header value'}`,
            )
          }
          return [key, expanded]
        }),
      )
    const expandAll = (values: Record<string, string> | undefined, path: string) =>
      Object.fromEntries(
        Object.entries(values ?? {}).map(([key, value]) => [key, expand(value, `${path}.${key}`)]),
      )
    return {
      name,
      description: entry.description ?? null,
      transport: entry.transport ?? (entry.command ? 'stdio' : 'streamable-http'),
      url: entry.url ? expand(entry.url, 'url') : null,
      displayUrl: entry.url ? entry.url.replace(USER_INFO, '$1') : null,
      headers: headers(entry.headers),
      command: entry.command ? expand(entry.command, 'command') : null,
      args: (entry.args ?? []).map((arg, i) => expand(arg, `args.${i}`)),
      env: expandAll(entry.env, 'env'),
      cwd: entry.cwd ? expand(entry.cwd, 'cwd') : null,
      timeouts: entry.timeouts ?? {},
      enabled: entry.enabled ?? true,
      override: entry.override ?? false,
    }
  })
}
