/**
 * Backs off from a server that keeps failing: after `threshold` failures in a row the circuit
 * opens and calls fail fast until the cooldown passes; then one call is let through (half open).
 * Its success closes the circuit; its failure re-opens it for twice as long (capped).
 */
export interface BreakerOptions {
  threshold: number
  cooldownMs: number
  maxCooldownMs: number
}

export interface CircuitBreaker {
  /** ms until a call may be tried, or 0 if one may be tried now. */
  waitMs(now: number): number
  failures(): number
  recordSuccess(): void
  recordFailure(now: number): void
}

export function createCircuitBreaker(options: BreakerOptions): CircuitBreaker {
  let failures = 0
  let openUntil = 0
  let cooldown = options.cooldownMs
  return {
    waitMs: (now) => Math.max(0, openUntil - now),
    failures: () => failures,
    recordSuccess() {
      failures = 0
      openUntil = 0
      cooldown = options.cooldownMs
    },
    recordFailure(now) {
      failures += 1
      if (failures < options.threshold) return
      // a failed half-open probe doubles the wait
      if (openUntil !== 0) cooldown = Math.min(cooldown * 2, options.maxCooldownMs)
      openUntil = now + cooldown
    },
  }
}
