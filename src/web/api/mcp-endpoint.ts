import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import { McpEndpointInfoSchema } from '../../shared/mcp-endpoint.ts'
import {
  type McpProfileCreate,
  McpProfileListSchema,
  McpProfileSchema,
  type McpProfileUpdate,
} from '../../shared/mcp-profiles.ts'
import { apiFetch } from './client.ts'
import { tokenQueries } from './tokens.ts'

export const mcpEndpointQuery = () =>
  queryOptions({
    queryKey: ['mcp-endpoint'] as const,
    queryFn: ({ signal }) =>
      apiFetch('/api/user/mcp-endpoint', { schema: McpEndpointInfoSchema, signal }),
    staleTime: Number.POSITIVE_INFINITY,
  })

export const profileQueries = {
  all: () => ['mcp-profiles'] as const,
  list: () =>
    queryOptions({
      queryKey: [...profileQueries.all(), 'list'] as const,
      queryFn: ({ signal }) =>
        apiFetch('/api/user/mcp-profiles', { schema: McpProfileListSchema, signal }),
      select: (list) => list.profiles,
    }),
}

export function useCreateProfile() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: McpProfileCreate) =>
      apiFetch('/api/user/mcp-profiles', { method: 'POST', body: input, schema: McpProfileSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: profileQueries.all() }),
  })
}

export function useUpdateProfile() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, ...input }: McpProfileUpdate & { id: string }) =>
      apiFetch(`/api/user/mcp-profiles/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: input,
        schema: McpProfileSchema,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: profileQueries.all() }),
  })
}

/** Its scoped tokens go with it: the token list is read again too. */
export function useDeleteProfile() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`/api/user/mcp-profiles/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: profileQueries.all() })
      void queryClient.invalidateQueries({ queryKey: tokenQueries.all() })
    },
  })
}
