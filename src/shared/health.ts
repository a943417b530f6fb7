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
