import { queryOptions } from '@tanstack/react-query'
import { McpEndpointInfoSchema } from '../../shared/mcp-endpoint.ts'
import { apiFetch } from './client.ts'

export const mcpEndpointQuery = () =>
  queryOptions({
    queryKey: ['mcp-endpoint'] as const,
    queryFn: ({ signal }) =>
      apiFetch('/api/user/mcp-endpoint', { schema: McpEndpointInfoSchema, signal }),
    staleTime: Number.POSITIVE_INFINITY,
  })
