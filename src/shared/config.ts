import { z } from 'zod'

/**
 * The operator's `switchboard.yaml`. Every key is optional; environment variables win over the
 * file for the settings both can set (see `src/server/config/load-config.ts`).
 */
export const ConfigFileSchema = z
  .object({
    server: z
      .object({
        port: z.number().int().min(0).max(65535).optional(),
        host: z.string().min(1).optional(),
        publicUrl: z.url().optional(),
        trustProxy: z.boolean().optional(),
      })
      .strict()
      .optional(),
    database: z
      .object({ url: z.string().min(1).optional() })
      .strict()
      .optional(),
    redis: z
      .object({ url: z.string().min(1).optional() })
      .strict()
      .optional(),
    dataDir: z.string().min(1).optional(),
    registration: z.boolean().optional(),
    auth: z
      .object({
        sessionDays: z.number().int().min(1).max(365).optional(),
        loginAttempts: z
          .object({
            perAccount: z.number().int().min(1).optional(),
            perIp: z.number().int().min(1).optional(),
            windowSeconds: z.number().int().min(1).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) })
      .strict()
      .optional(),
  })
  .strict()
export type ConfigFile = z.infer<typeof ConfigFileSchema>
