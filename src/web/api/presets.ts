import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import {
  type PresetCreate,
  PresetListSchema,
  PresetSchema,
  type PresetUpdate,
} from '../../shared/presets.ts'
import { apiFetch } from './client.ts'

const BASE = '/api/user/presets'
const presetPath = (id: string) => `${BASE}/${encodeURIComponent(id)}`

export const presetQueries = {
  all: () => ['presets'] as const,
  list: () =>
    queryOptions({
      queryKey: [...presetQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiFetch(BASE, { schema: PresetListSchema, signal }),
      select: (list) => list.presets,
    }),
}

export function useCreatePreset() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: PresetCreate) =>
      apiFetch(BASE, { method: 'POST', body: input, schema: PresetSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: presetQueries.all() }),
  })
}

export function useUpdatePreset() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: PresetUpdate }) =>
      apiFetch(presetPath(id), { method: 'PATCH', body: changes, schema: PresetSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: presetQueries.all() }),
  })
}

export function useDeletePreset() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => apiFetch(presetPath(id), { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: presetQueries.all() }),
  })
}
