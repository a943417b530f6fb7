import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import {
  type ModelProviderCreate,
  ModelProviderListSchema,
  ModelProviderTestSchema,
  type ModelProviderUpdate,
  ModelProviderViewSchema,
  type ModelSettingsUpdate,
  ModelSettingsViewSchema,
  type UserModelKeyUpdate,
  UserModelKeyViewSchema,
} from '../../shared/model-providers.ts'
import {
  MessageLimitListSchema,
  type MessageLimitUpdate,
  type UsageQuery,
  UsageReportSchema,
} from '../../shared/usage.ts'
import { chatQueries } from './chat.ts'
import { apiFetch } from './client.ts'
import { modelQueries } from './models.ts'

// Model providers and usage (admins), and the caller's own OpenRouter key.

export const adminModelQueries = {
  all: () => ['admin-models'] as const,
  providers: () =>
    queryOptions({
      queryKey: [...adminModelQueries.all(), 'providers'] as const,
      queryFn: ({ signal }) =>
        apiFetch('/api/admin/model-providers', { schema: ModelProviderListSchema, signal }),
    }),
  usage: (query: UsageQuery) =>
    queryOptions({
      queryKey: [...adminModelQueries.all(), 'usage', query] as const,
      // Live numbers: read again whenever the page shows them.
      staleTime: 0,
      queryFn: ({ signal }) => {
        const params = new URLSearchParams()
        if (query.from) params.set('from', query.from)
        if (query.to) params.set('to', query.to)
        return apiFetch(`/api/admin/usage?${params}`, { schema: UsageReportSchema, signal })
      },
    }),
  limits: () =>
    queryOptions({
      queryKey: [...adminModelQueries.all(), 'limits'] as const,
      staleTime: 0,
      queryFn: ({ signal }) =>
        apiFetch('/api/admin/usage/limits', { schema: MessageLimitListSchema, signal }),
    }),
}

export const userModelKeyQueries = {
  all: () => ['model-key'] as const,
  get: () =>
    queryOptions({
      queryKey: userModelKeyQueries.all(),
      queryFn: ({ signal }) =>
        apiFetch('/api/user/model-key', { schema: UserModelKeyViewSchema, signal }),
    }),
}

/** Any change to providers or settings changes what the chat offers too. */
function useInvalidateModels() {
  const queryClient = useQueryClient()
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: adminModelQueries.all() }),
      queryClient.invalidateQueries({ queryKey: modelQueries.all() }),
      queryClient.invalidateQueries({ queryKey: [...chatQueries.all(), 'config'] }),
    ])
}

const providerPath = (id: string) => `/api/admin/model-providers/${encodeURIComponent(id)}`

export function useCreateProvider() {
  const invalidate = useInvalidateModels()
  return useMutation({
    mutationFn: (input: ModelProviderCreate) =>
      apiFetch('/api/admin/model-providers', {
        method: 'POST',
        body: input,
        schema: ModelProviderViewSchema,
      }),
    onSuccess: invalidate,
  })
}

export function useUpdateProvider() {
  const invalidate = useInvalidateModels()
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: ModelProviderUpdate }) =>
      apiFetch(providerPath(id), {
        method: 'PATCH',
        body: changes,
        schema: ModelProviderViewSchema,
      }),
    onSuccess: invalidate,
  })
}

export function useDeleteProvider() {
  const invalidate = useInvalidateModels()
  return useMutation({
    mutationFn: (id: string) => apiFetch(providerPath(id), { method: 'DELETE' }),
    onSuccess: invalidate,
  })
}

export function useTestProvider() {
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`${providerPath(id)}/test`, { method: 'POST', schema: ModelProviderTestSchema }),
  })
}

export function useUpdateModelSettings() {
  const invalidate = useInvalidateModels()
  return useMutation({
    mutationFn: (changes: ModelSettingsUpdate) =>
      apiFetch('/api/admin/model-settings', {
        method: 'PATCH',
        body: changes,
        schema: ModelSettingsViewSchema,
      }),
    onSuccess: invalidate,
  })
}

export function useSetMessageLimit() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ userId, ...body }: MessageLimitUpdate & { userId: string }) =>
      apiFetch(`/api/admin/usage/limits/${encodeURIComponent(userId)}`, { method: 'PUT', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminModelQueries.all() }),
  })
}

export function useSetUserModelKey() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: UserModelKeyUpdate) =>
      apiFetch('/api/user/model-key', {
        method: 'PUT',
        body: input,
        schema: UserModelKeyViewSchema,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userModelKeyQueries.all() }),
  })
}

export function useRemoveUserModelKey() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => apiFetch('/api/user/model-key', { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userModelKeyQueries.all() }),
  })
}
