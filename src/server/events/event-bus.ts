import { EventEmitter } from 'node:events'
import type { Redis } from 'ioredis'
import type { ElicitationAnswer } from '../../shared/elicitations.ts'
import type { AppEvent } from '../../shared/events.ts'
import type { Logger } from '../log.ts'

/** A message for every instance (not for browsers): work one of them must do. */
export type InstanceSignal =
  | { type: 'tool-call.cancel'; userId: string; callId: string }
  /** A user's servers or tools changed (null: a shared server): drop cached tool access. */
  | { type: 'tool-access.invalidate'; userId: string | null }
  /** An API token was revoked: drop cached tokens. */
  | { type: 'tokens.revoked' }
  /** A user answered a server's question; the instance holding the session delivers it. */
  | { type: 'elicitation.answer'; userId: string; id: string; answer: ElicitationAnswer }
  /** Model providers or model settings changed in the admin UI: reload them. */
  | { type: 'model-setup.changed' }

/**
 * Per-user events for `GET /api/events`, and signals between instances. In-process by default;
 * through Redis pub/sub when REDIS_URL is set, so a client connected to one instance hears
 * about work done on another.
 */
export interface EventBus {
  /** Delivers to the user's current subscribers, on every instance; fire and forget. */
  publish(userId: string, event: AppEvent): void
  /** Delivers to every connected user (a shared server changed). */
  broadcast(event: AppEvent): void
  /** Returns the unsubscribe function. */
  subscribe(userId: string, listener: (event: AppEvent) => void): () => void
  /** Listeners subscribed on this instance (open event streams, calls waiting for an event). */
  subscriberCount(): number
  /** Delivers to every instance, this one included. */
  signalInstances(signal: InstanceSignal): void
  /**
   * Hears one kind of signal (the module that owns it registers: see `watch…Signals` next to
   * each `signalInstances` call). Returns the function that stops listening.
   */
  onInstanceSignal<T extends InstanceSignal['type']>(
    type: T,
    listener: (signal: Extract<InstanceSignal, { type: T }>) => void,
  ): () => void
  close(): Promise<void>
}

// Not a possible user id (those are 32-char tokens), so it cannot collide.
const BROADCAST = '*'
const SIGNAL = '\u0000signal'

/**
 * Delivery inside this process: what both buses end in. A listener that throws is logged and
 * skipped: whoever published (a tool call, a health check) must never fail for it, and the
 * other listeners still hear the event.
 */
function createEmitter(log: Logger) {
  const emitter = new EventEmitter()
  // One listener per open browser tab: the default cap of 10 would warn for a busy user.
  emitter.setMaxListeners(0)
  const guarded =
    <T>(listener: (value: T) => void) =>
    (value: T) => {
      try {
        listener(value)
      } catch (err) {
        log.error({ err }, 'an event listener failed')
      }
    }
  return {
    emitter,
    subscribe(userId: string, listener: (event: AppEvent) => void) {
      const safe = guarded(listener)
      emitter.on(userId, safe)
      emitter.on(BROADCAST, safe)
      return () => {
        emitter.off(userId, safe)
        emitter.off(BROADCAST, safe)
      }
    },
    // Every subscriber hears broadcasts: one BROADCAST listener each.
    subscriberCount: () => emitter.listenerCount(BROADCAST),
    onInstanceSignal<T extends InstanceSignal['type']>(
      type: T,
      listener: (signal: Extract<InstanceSignal, { type: T }>) => void,
    ) {
      const safe = guarded((signal: InstanceSignal) => {
        if (signal.type === type) listener(signal as Extract<InstanceSignal, { type: T }>)
      })
      emitter.on(SIGNAL, safe)
      return () => {
        emitter.off(SIGNAL, safe)
      }
    },
  }
}

export function createLocalEventBus(log: Logger): EventBus {
  const local = createEmitter(log)
  return {
    publish: (userId, event) => local.emitter.emit(userId, event),
    broadcast: (event) => local.emitter.emit(BROADCAST, event),
    subscribe: local.subscribe,
    subscriberCount: local.subscriberCount,
    signalInstances: (signal) => local.emitter.emit(SIGNAL, signal),
    onInstanceSignal: local.onInstanceSignal,
    close: async () => {},
  }
}

const CHANNEL = 'switchboard:events'

interface Envelope {
  /** A user id, BROADCAST or SIGNAL. */
  to: string
  payload: AppEvent | InstanceSignal
}

/**
 * Events through Redis pub/sub: every instance subscribes to one channel and delivers what it
 * receives to its own listeners (its own messages included, so there is one path). Pub/sub is
 * fire and forget, like the local bus: a client that is not connected misses events and reads
 * the state from the API when it comes back.
 */
export async function createRedisEventBus(redis: Redis, log: Logger): Promise<EventBus> {
  const local = createEmitter(log)
  const subscriber = redis.duplicate()
  subscriber.on('error', (err) => log.warn({ err }, 'redis event subscriber error'))
  subscriber.on('message', (_channel: string, text: string) => {
    try {
      const envelope = JSON.parse(text) as Envelope
      local.emitter.emit(envelope.to, envelope.payload)
    } catch (err) {
      log.warn({ err }, 'dropped a malformed event from redis')
    }
  })
  await subscriber.subscribe(CHANNEL)
  const send = (to: string, payload: AppEvent | InstanceSignal) => {
    redis
      .publish(CHANNEL, JSON.stringify({ to, payload } satisfies Envelope))
      .catch((err) => log.warn({ err }, 'redis publish failed'))
  }
  return {
    publish: (userId, event) => send(userId, event),
    broadcast: (event) => send(BROADCAST, event),
    subscribe: local.subscribe,
    subscriberCount: local.subscriberCount,
    signalInstances: (signal) => send(SIGNAL, signal),
    onInstanceSignal: local.onInstanceSignal,
    async close() {
      await subscriber.quit().catch(() => subscriber.disconnect())
    },
  }
}
