import { createRoute } from '@hono/zod-openapi'
import { HealthSchema, ReadinessSchema } from '../../shared/health.ts'
import { checkHealth, checkReadiness } from '../health.ts'
import { createRouter, json } from './router.ts'

export const healthRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['System'],
      summary: 'Liveness and database reachability',
      responses: { 200: json(HealthSchema), 503: json(HealthSchema, 'Database unreachable') },
    }),
    async (c) => {
      const health = await checkHealth(c.var.deps)
      return c.json(health, health.status === 'ok' ? 200 : 503)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/ready',
      tags: ['System'],
      summary: 'Readiness for load balancers: database, Redis, migrations',
      responses: {
        200: json(ReadinessSchema, 'Ready to serve'),
        503: json(ReadinessSchema, 'Not ready: a store does not answer or a migration is pending'),
      },
    }),
    async (c) => {
      const readiness = await checkReadiness(c.var.deps)
      return c.json(readiness, readiness.status === 'ready' ? 200 : 503)
    },
  )
