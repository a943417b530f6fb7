import {
  type InfiniteData,
  infiniteQueryOptions,
  type QueryClient,
  queryOptions,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query'
import type { z } from 'zod'
import {
  FINAL_TOOL_CALL_STATUSES,
  type ToolCallList,
  type ToolCallListQuery,
  ToolCallListSchema,
  type ToolCallProgress,
  ToolCallReplySchema,
  type ToolCallRequestSchema,
  ToolCallStatsSchema,
  type ToolCallView,
} from '../../shared/tool-calls.ts'
import { apiFetch } from './client.ts'

const BASE = '/api/user/mcp-tool-calls'
const callPath = (id: string) => `${BASE}/${encodeURIComponent(id)}`
const PAGE_SIZE = 25
/** While a call runs, its state is also fetched this often, in case an event was missed. */
const FOLLOW_INTERVAL_MS = 4_000

/** The list filters as the API takes them (`from`/`to` as ISO datetimes). */
export type ToolCallFilters = Omit<ToolCallListQuery, 'limit' | 'cursor'>

export function isFinalCall(call: Pick<ToolCallView, 'status'>): boolean {
  return FINAL_TOOL_CALL_STATUSES.includes(call.status)
}

function listPath(filters: ToolCallFilters, cursor: string | undefined): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(filters)) {
    if (value) params.set(key, value)
  }
  params.set('limit', String(PAGE_SIZE))
  if (cursor) params.set('cursor', cursor)
  return `${BASE}?${params}`
}

export const toolCallQueries = {
  all: () => ['tool-calls'] as const,
  lists: () => [...toolCallQueries.all(), 'list'] as const,
  list: (filters: ToolCallFilters) =>
    infiniteQueryOptions({
      queryKey: [...toolCallQueries.lists(), filters] as const,
      queryFn: ({ pageParam, signal }) =>
        apiFetch(listPath(filters, pageParam), { schema: ToolCallListSchema, signal }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  /** One call. While it is not final it is re-fetched now and then; events keep it current. */
  detail: (id: string) =>
    queryOptions({
      queryKey: [...toolCallQueries.all(), 'detail', id] as const,
      queryFn: async ({ signal }) =>
        (await apiFetch(callPath(id), { schema: ToolCallReplySchema, signal })).call,
      refetchInterval: (query) =>
        query.state.data && isFinalCall(query.state.data) ? false : FOLLOW_INTERVAL_MS,
    }),
  stats: (days: number) =>
    queryOptions({
      queryKey: [...toolCallQueries.all(), 'stats', days] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${BASE}/stats?days=${days}`, { schema: ToolCallStatsSchema, signal }),
    }),
}

/**
 * The newer of two states of one call. Events and replies can cross on the wire: a `202` saying
 * "pending" may arrive after the event saying "succeeded", and must not undo it.
 */
function newerCall(current: ToolCallView | undefined, next: ToolCallView): ToolCallView {
  if (!current || current.id !== next.id) return next
  if (isFinalCall(current) && !isFinalCall(next)) return current
  if (current.status === 'running' && next.status === 'pending') return current
  // Progress comes by its own event too; keep it if the new state has none yet.
  return next.progress || isFinalCall(next) ? next : { ...next, progress: current.progress }
}

/** Applies a call's new state wherever it is cached: its detail and any list page showing it. */
export function applyToolCallUpdate(queryClient: QueryClient, call: ToolCallView): void {
  const detailKey = toolCallQueries.detail(call.id).queryKey
  queryClient.setQueryData(detailKey, (current) => newerCall(current, call))

  let missing = false
  queryClient.setQueriesData<InfiniteData<ToolCallList>>(
    { queryKey: toolCallQueries.lists() },
    (data) => {
      if (!data) return data
      const shown = data.pages.some((page) => page.calls.some((c) => c.id === call.id))
      if (!shown) {
        missing = true
        return data
      }
      return {
        ...data,
        pages: data.pages.map((page) => ({
          ...page,
          calls: page.calls.map((c) => (c.id === call.id ? newerCall(c, call) : c)),
        })),
      }
    },
  )
  // A new call belongs at the top of the lists whose filters it matches: let the server decide.
  if (missing) void queryClient.invalidateQueries({ queryKey: toolCallQueries.lists() })
  if (isFinalCall(call)) {
    void queryClient.invalidateQueries({ queryKey: [...toolCallQueries.all(), 'stats'] })
  }
}

/** Applies a progress notification to the running call's cached states. */
export function applyToolCallProgress(
  queryClient: QueryClient,
  callId: string,
  progress: ToolCallProgress,
): void {
  const update = (call: ToolCallView) =>
    call.id === callId && !isFinalCall(call)
      ? { ...call, status: 'running' as const, progress }
      : call
  queryClient.setQueryData(toolCallQueries.detail(callId).queryKey, (call) =>
    call ? update(call) : call,
  )
  queryClient.setQueriesData<InfiniteData<ToolCallList>>(
    { queryKey: toolCallQueries.lists() },
    (data) =>
      data && {
        ...data,
        pages: data.pages.map((page) => ({ ...page, calls: page.calls.map(update) })),
      },
  )
}

export type RunToolCallInput = z.input<typeof ToolCallRequestSchema>

/** `POST /api/chat/tool-call`; the reply's call (finished or still running) is cached at once. */
export function useRunToolCall() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: RunToolCallInput) =>
      apiFetch('/api/chat/tool-call', { method: 'POST', body: input, schema: ToolCallReplySchema }),
    onSuccess: ({ call }) => applyToolCallUpdate(queryClient, call),
  })
}

/** Asks the server to cancel a running call; it ends as `cancelled` once the upstream is told. */
export function useCancelToolCall() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`${callPath(id)}/cancel`, { method: 'POST', schema: ToolCallReplySchema }),
    onSuccess: ({ call }) => applyToolCallUpdate(queryClient, call),
  })
}
