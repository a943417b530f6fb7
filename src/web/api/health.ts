import { queryOptions } from '@tanstack/react-query'
import { HealthSchema } from '../../shared/health.ts'
import { apiFetch } from './client.ts'

export const healthQueries = {
  all: () => ['health'] as const,
  get: () =>
    queryOptions({
      queryKey: [...healthQueries.all()] as const,
      queryFn: ({ signal }) => apiFetch('/api/health', { schema: HealthSchema, signal }),
    }),
}
