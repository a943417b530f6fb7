import type { Redis } from 'ioredis'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/database.ts'
import type { Logger } from '../log.ts'
import { type CallLimits, createCallLimits } from './call-limits.ts'
import { type CallLog, createCallLog } from './call-log.ts'
import type { IdleTimer } from './call-upstream.ts'
import type { PendingElicitation } from './elicitations.ts'
import type { CallState } from './tool-call-views.ts'
import { recordOf } from './tool-call-views.ts'
import { type ArgumentValidator, createArgumentValidator } from './validate-arguments.ts'

/** A call running in this process. */
export interface RunningCall {
  state: CallState
  controller: AbortController
  /** Its no-progress timer: held while the server waits on the user (elicitation). */
  idle: IdleTimer
  /** Settles with the final state; never rejects. */
  done: Promise<CallState>
}

/** What the tool-call service keeps for the life of the process (part of Deps). */
export interface ToolCallRuntime {
  log: CallLog
  limits: CallLimits
  validator: ArgumentValidator
  /** Calls running in this instance, by id (cancel reaches them here). */
  running: Map<string, RunningCall>
  /** Servers' questions waiting for the user's answer in this instance, by id. */
  elicitations: Map<string, PendingElicitation>
  close(): Promise<void>
}

/** A running call's row is touched this often, so other instances know it is alive. */
export const HEARTBEAT_MS = 60_000

export function createToolCallRuntime(deps: {
  config: Pick<Config, 'toolCalls'>
  db: Db
  log: Logger
  redis: Redis | null
  now: () => Date
}): ToolCallRuntime {
  const running = new Map<string, RunningCall>()
  const elicitations = new Map<string, PendingElicitation>()
  const log = createCallLog(deps)
  const heartbeat = setInterval(() => {
    const now = deps.now()
    for (const call of running.values()) {
      call.state.updatedAt = now
      log.write(recordOf(call.state))
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()
  return {
    log,
    limits: createCallLimits(deps.config, deps.redis),
    validator: createArgumentValidator(),
    running,
    elicitations,
    async close() {
      clearInterval(heartbeat)
      for (const question of elicitations.values()) question.finish({ action: 'cancel' }, 'cancel')
      for (const call of running.values()) call.controller.abort(new ShutdownError())
      await Promise.all([...running.values()].map((call) => call.done))
      await log.close()
    },
  }
}

/** The process is shutting down under a running call. */
export class ShutdownError extends Error {
  override name = 'ShutdownError'
  constructor() {
    super('Switchboard shut down while the call was running')
  }
}
