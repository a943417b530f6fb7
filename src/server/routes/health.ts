import { createRoute } from '@hono/zod-openapi'
import { HealthSchema } from '../../shared/health.ts'
import { checkHealth } from '../health.ts'
import { createRouter, json } from './router.ts'

export const healthRoutes = createRouter().openapi(
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
