import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import {
  type ApiTokenCreate,
  ApiTokenCreatedSchema,
  ApiTokenListSchema,
} from '../../shared/auth.ts'
import { apiFetch } from './client.ts'

export const tokenQueries = {
  all: () => ['tokens'] as const,
  list: () =>
    queryOptions({
      queryKey: [...tokenQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiFetch('/api/user/tokens', { schema: ApiTokenListSchema, signal }),
      select: (list) => list.tokens,
    }),
}

/** The reply carries the token's secret; it is shown once and never fetched again. */
export function useCreateToken() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: ApiTokenCreate) =>
      apiFetch('/api/user/tokens', { method: 'POST', body: input, schema: ApiTokenCreatedSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenQueries.all() }),
  })
}

export function useRevokeToken() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`/api/user/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenQueries.all() }),
  })
}
