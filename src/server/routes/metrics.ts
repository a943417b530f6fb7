import { Hono } from 'hono'
import type { Env } from '../env.ts'
import { scrapeMetrics } from '../observability/metrics.ts'

/**
 * `GET /metrics` in Prometheus's text format, for scrapers rather than API clients: outside
 * `/api` and its OpenAPI document. 404 unless `metrics.enabled`; 401 without the token when
 * `metrics.token` is set.
 */
export const metricsRoutes = new Hono<Env>().get('/', async (c) => {
  const { text, contentType } = await scrapeMetrics(c.var.deps, c.req.header('authorization'))
  return c.body(text, 200, { 'content-type': contentType })
})
