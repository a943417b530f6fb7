import type { ConfigServer } from '../../shared/config.ts'
import { ConfigError, type SharedServerConfig } from './config.ts'

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g

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
    const expandAll = (values: Record<string, string> | undefined, path: string) =>
      Object.fromEntries(
        Object.entries(values ?? {}).map(([key, value]) => [key, expand(value, `${path}.${key}`)]),
      )
    return {
      name,
      description: entry.description ?? null,
      transport: entry.transport ?? (entry.command ? 'stdio' : 'streamable-http'),
      url: entry.url ? expand(entry.url, 'url') : null,
      headers: expandAll(entry.headers, 'headers'),
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
