import { EventEmitter } from 'node:events'
import type { AppEvent } from '../../shared/events.ts'

/**
 * Per-user events for `GET /api/events`. This in-process bus serves one instance; a Redis-backed
 * bus with the same contract lets many instances share events (REDIS_URL).
 */
export interface EventBus {
  /** Delivers to the user's current subscribers; fire and forget. */
  publish(userId: string, event: AppEvent): void
  /** Delivers to every connected user (a shared server changed). */
  broadcast(event: AppEvent): void
  /** Returns the unsubscribe function. */
  subscribe(userId: string, listener: (event: AppEvent) => void): () => void
}

// Not a possible user id (those are 32-char tokens), so it cannot collide.
const BROADCAST = '*'

export function createLocalEventBus(): EventBus {
  const emitter = new EventEmitter()
  // One listener per open browser tab: the default cap of 10 would warn for a busy user.
  emitter.setMaxListeners(0)
  return {
    publish(userId, event) {
      emitter.emit(userId, event)
    },
    broadcast(event) {
      emitter.emit(BROADCAST, event)
    },
    subscribe(userId, listener) {
      emitter.on(userId, listener)
      emitter.on(BROADCAST, listener)
      return () => {
        emitter.off(userId, listener)
        emitter.off(BROADCAST, listener)
      }
    },
  }
}
