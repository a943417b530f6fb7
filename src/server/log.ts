import { pino } from 'pino'
import type { Config } from './config/config.ts'

export type Logger = pino.Logger

/**
 * Paths redacted from every log line. Secrets may ride in headers, bodies or MCP auth payloads;
 * redacting by path keeps them out even when a whole object is logged by mistake.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.authData',
  '*.auth_data',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  'body.password',
]

/** `stderr` keeps stdout clean for commands whose output is data (`token create`). */
export function createLogger(
  config: Pick<Config, 'log'>,
  options: { stream?: 'stdout' | 'stderr' } = {},
): Logger {
  const fd = options.stream === 'stderr' ? 2 : 1
  return pino(
    {
      level: config.log.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      ...(config.log.pretty
        ? { transport: { target: 'pino-pretty', options: { destination: fd } } }
        : {}),
    },
    config.log.pretty ? undefined : pino.destination(fd),
  )
}
