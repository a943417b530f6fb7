import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import {
  ConnectedClientListSchema,
  type ConsentAnswer,
  ConsentRedirectSchema,
  ConsentRequestSchema,
} from '../../shared/mcp-clients.ts'
import { apiFetch } from './client.ts'

export const mcpClientQueries = {
  all: () => ['mcp-clients'] as const,
  list: () =>
    queryOptions({
      queryKey: [...mcpClientQueries.all(), 'list'] as const,
      queryFn: ({ signal }) =>
        apiFetch('/api/user/mcp-clients', { schema: ConnectedClientListSchema, signal }),
      select: (list) => list.clients,
    }),
  consent: (oauthQuery: string) =>
    queryOptions({
      queryKey: [...mcpClientQueries.all(), 'consent', oauthQuery] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/api/user/mcp-clients/consent?oauthQuery=${encodeURIComponent(oauthQuery)}`, {
          schema: ConsentRequestSchema,
          signal,
        }),
      staleTime: Number.POSITIVE_INFINITY,
      retry: false,
    }),
}

/** The answer comes back as the client's redirect, for the browser to follow. */
export function useAnswerConsent() {
  return useMutation({
    mutationFn: (input: ConsentAnswer) =>
      apiFetch('/api/user/mcp-clients/consent', {
        method: 'POST',
        body: input,
        schema: ConsentRedirectSchema,
      }),
  })
}

export function useRevokeClient() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (clientId: string) =>
      apiFetch(`/api/user/mcp-clients?clientId=${encodeURIComponent(clientId)}`, {
        method: 'DELETE',
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mcpClientQueries.all() }),
  })
}
