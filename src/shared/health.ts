import { z } from 'zod'

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    database: z.object({
      kind: z.enum(['pglite', 'postgres']),
      reachable: z.boolean(),
      latencyMs: z.number().optional(),
    }),
  })
  .meta({ id: 'Health' })
export type Health = z.infer<typeof HealthSchema>

/**
 * `GET /api/health/ready`: whether this instance can serve (200) or not (503), for load
 * balancers. Ready means the database answers, Redis answers (when one is configured) and every
 * migration this version knows is applied.
 */
export const ReadinessSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    database: z.object({ reachable: z.boolean(), latencyMs: z.number().optional() }),
    /** null: no Redis configured (everything in-process). */
    redis: z.object({ reachable: z.boolean(), latencyMs: z.number().optional() }).nullable(),
    /** null: not known while the database cannot be reached. */
    migrations: z.object({ upToDate: z.boolean(), pending: z.array(z.string()) }).nullable(),
  })
  .meta({ id: 'Readiness' })
export type Readiness = z.infer<typeof ReadinessSchema>
