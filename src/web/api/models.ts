import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import { type ModelList, ModelListSchema } from '../../shared/models.ts'
import { apiFetch } from './client.ts'

const favouritePath = (modelId: string) =>
  // One path segment: a model id holds slashes (`openai/gpt-4o-mini`).
  `/api/user/model-favourites/${encodeURIComponent(modelId)}`

export const modelQueries = {
  all: () => ['models'] as const,
  /** The models on offer with the caller's favourites; the server caches the catalogue. */
  list: () =>
    queryOptions({
      queryKey: [...modelQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiFetch('/api/chat/models', { schema: ModelListSchema, signal }),
      staleTime: 5 * 60_000,
    }),
}

/** Stars or un-stars a model; the list shows it at once and is put right should that fail. */
export function useSetFavourite() {
  const queryClient = useQueryClient()
  const key = modelQueries.list().queryKey
  return useMutation({
    mutationFn: ({ modelId, favourite }: { modelId: string; favourite: boolean }) =>
      apiFetch(favouritePath(modelId), { method: favourite ? 'PUT' : 'DELETE' }),
    onMutate: async ({ modelId, favourite }) => {
      await queryClient.cancelQueries({ queryKey: key })
      const previous = queryClient.getQueryData<ModelList>(key)
      queryClient.setQueryData<ModelList>(
        key,
        (list) =>
          list && {
            ...list,
            models: list.models.map((m) => (m.id === modelId ? { ...m, favourite } : m)),
          },
      )
      return { previous }
    },
    onError: (_error, _input, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous)
    },
  })
}
