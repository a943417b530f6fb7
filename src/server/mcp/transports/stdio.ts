import type { Stream } from 'node:stream'
import type { Transport } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import type { Logger } from '../../log.ts'

/** Bounds what one child may write into our log; the rest of its stderr is drained unread. */
const MAX_STDERR_LOG_CHARS = 64 * 1024
const MAX_STDERR_LINE_CHARS = 2_000

export interface StdioTransportOptions {
  command: string
  args?: string[]
  /** Merged over the SDK's minimal default environment; never expanded. */
  env?: Record<string, string>
  cwd?: string
  /** Receives the child's stderr, line by line, up to 64 KiB. */
  log: Logger
}

/**
 * The SDK's stdio client transport: spawns `command` with `args` directly (no shell, so nothing
 * in them is interpreted), with only the SDK's default environment (HOME, LOGNAME, PATH, SHELL,
 * TERM, USER) plus `env`: none of our own secrets (database URL, secret key) reach the child.
 * `close()` ends stdin, then sends SIGTERM and SIGKILL if the child lingers.
 * Only operator-defined (trusted) endpoints may use it; `connectMcp` enforces that.
 */
export function createStdioTransport(options: StdioTransportOptions): StdioClientTransport {
  const transport = new StdioClientTransport({
    command: options.command,
    args: options.args ?? [],
    env: { ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stderr: 'pipe',
  })
  logStderr(transport.stderr, options.log)
  return transport
}

function logStderr(stream: Stream | null, log: Logger): void {
  if (!stream) return
  let logged = 0
  let pending = ''
  // Keep a 'data' listener even after the cap: an unread pipe fills up and blocks the child.
  stream.on('data', (chunk: Buffer) => {
    if (logged >= MAX_STDERR_LOG_CHARS) return
    pending += chunk.toString('utf8')
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    if (pending.length > MAX_STDERR_LINE_CHARS) {
      lines.push(pending)
      pending = ''
    }
    for (const line of lines) {
      logged += line.length
      if (logged > MAX_STDERR_LOG_CHARS) {
        log.warn('mcp server stderr exceeded 64 KiB; the rest is not logged')
        return
      }
      if (line.trim())
        log.info({ stderr: line.slice(0, MAX_STDERR_LINE_CHARS) }, 'mcp server stderr')
    }
  })
}

/**
 * Ends the child of a stdio transport that failed to connect (timeout, abort) with SIGTERM at
 * once: the SDK's `close()` first waits 2 s for the child to exit on end of input, which a hung
 * server does not do. A no-op for other transports or a child that is gone.
 */
export function abortStdioTransport(transport: Transport | undefined): void {
  if (!(transport instanceof StdioClientTransport) || transport.pid === null) return
  try {
    process.kill(transport.pid, 'SIGTERM')
  } catch {
    // Already exited.
  }
}
