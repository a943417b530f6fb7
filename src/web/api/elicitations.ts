import { type QueryClient, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import {
  type ElicitationAnswer,
  ElicitationAnsweredSchema,
  ElicitationListSchema,
  type ElicitationView,
} from '../../shared/elicitations.ts'
import { ApiError, apiFetch } from './client.ts'

const BASE = '/api/user/elicitations'

export const elicitationQueries = {
  all: () => ['elicitations'] as const,
  /** The questions waiting for the user's answer, oldest first. Events keep it current. */
  pending: () =>
    queryOptions({
      queryKey: [...elicitationQueries.all(), 'pending'] as const,
      queryFn: async ({ signal }) =>
        (await apiFetch(BASE, { schema: ElicitationListSchema, signal })).elicitations,
    }),
}

const byAge = (a: ElicitationView, b: ElicitationView) => a.createdAt.localeCompare(b.createdAt)

/**
 * A list fetched while an event was on its way may not know of it yet (or still show a question
 * that just ended): fetch again, now that the server's list has the change.
 */
function refetchIfFetching(queryClient: QueryClient): void {
  const { queryKey } = elicitationQueries.pending()
  if (queryClient.isFetching({ queryKey }) > 0) void queryClient.invalidateQueries({ queryKey })
}

/** A new question (`elicitation.requested`): joins the pending ones, in order of age. */
export function addPendingElicitation(queryClient: QueryClient, view: ElicitationView): void {
  queryClient.setQueryData(elicitationQueries.pending().queryKey, (list = []) =>
    [...list.filter((entry) => entry.id !== view.id), view].sort(byAge),
  )
  refetchIfFetching(queryClient)
}

/** Drops a question that ended; returns it if it was still pending here. */
export function removePendingElicitation(
  queryClient: QueryClient,
  id: string,
): ElicitationView | undefined {
  const { queryKey } = elicitationQueries.pending()
  const removed = queryClient.getQueryData(queryKey)?.find((entry) => entry.id === id)
  if (removed) {
    queryClient.setQueryData(queryKey, (list) => list?.filter((entry) => entry.id !== id))
  }
  refetchIfFetching(queryClient)
  return removed
}

/**
 * `POST /api/user/elicitations/:id`: accept (with the form's content; a link has none),
 * decline, or cancel. A delivered answer ends the question here at once (its
 * `elicitation.ended` event follows); so does a 404, which means it was answered elsewhere or
 * expired.
 */
export function useAnswerElicitation() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, answer }: { id: string; answer: ElicitationAnswer }) =>
      apiFetch(`${BASE}/${encodeURIComponent(id)}`, {
        method: 'POST',
        body: answer,
        schema: ElicitationAnsweredSchema,
      }),
    onSuccess: (_reply, { id }) => removePendingElicitation(queryClient, id),
    onError: (error, { id }) => {
      if (error instanceof ApiError && error.status === 404) {
        removePendingElicitation(queryClient, id)
      }
    },
  })
}
