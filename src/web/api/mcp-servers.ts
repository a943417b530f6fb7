import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import { McpAppViewSchema } from '../../shared/mcp-apps.ts'
import { type CompletionRequest, CompletionSchema } from '../../shared/mcp-completions.ts'
import { OAuthStartReplySchema } from '../../shared/mcp-oauth.ts'
import {
  McpPromptListSchema,
  McpPromptMatchesSchema,
  type McpPromptResult,
  McpPromptResultSchema,
} from '../../shared/mcp-prompts.ts'
import {
  McpResourceListSchema,
  McpResourceMatchesSchema,
  McpResourceReadSchema,
} from '../../shared/mcp-resources.ts'
import {
  type McpServerCreate,
  McpServerListSchema,
  McpServerStatsSchema,
  McpServerSyncResultSchema,
  McpServerTestResultSchema,
  type McpServerUpdate,
  McpServerViewSchema,
  type McpToolList,
  McpToolListSchema,
  type McpToolsSwitch,
  McpToolsSwitchResultSchema,
  type McpToolUpdate,
  McpToolViewSchema,
} from '../../shared/mcp-servers.ts'
import { apiFetch } from './client.ts'

const BASE = '/api/user/mcp-servers'
const serverPath = (id: string) => `${BASE}/${encodeURIComponent(id)}`

/** What the chat's `@` offers: resources and templates of all the user's switched-on servers. */
export const resourceSearchQuery = (q: string) =>
  queryOptions({
    queryKey: [...serverQueries.all(), 'resource-search', q] as const,
    queryFn: ({ signal }) =>
      apiFetch(`/api/user/mcp-resources?q=${encodeURIComponent(q)}`, {
        schema: McpResourceMatchesSchema,
        signal,
      }),
    select: (found) => found.resources,
    placeholderData: (previous) => previous,
  })

/** What the chat's `/` offers: prompts of all the user's switched-on servers. */
export const promptSearchQuery = (q: string) =>
  queryOptions({
    queryKey: [...serverQueries.all(), 'prompt-search', q] as const,
    queryFn: ({ signal }) =>
      apiFetch(`/api/user/mcp-prompts?q=${encodeURIComponent(q)}`, {
        schema: McpPromptMatchesSchema,
        signal,
      }),
    select: (found) => found.prompts,
    placeholderData: (previous) => previous,
  })

/** Fills in a server's prompt (`prompts/get`): its messages, and the text the chat sends. */
export function getPrompt(
  input: { serverId: string; name: string; arguments: Record<string, string> },
  signal?: AbortSignal,
): Promise<McpPromptResult> {
  return apiFetch(`${serverPath(input.serverId)}/prompts/${encodeURIComponent(input.name)}/get`, {
    method: 'POST',
    body: { arguments: input.arguments },
    schema: McpPromptResultSchema,
    ...(signal ? { signal } : {}),
  })
}

/** The server's suggestions for one argument as it is typed (none when it offers none). */
export const completionQuery = (serverId: string, request: CompletionRequest) =>
  queryOptions({
    queryKey: [...serverQueries.all(), 'detail', serverId, 'complete', request] as const,
    queryFn: ({ signal }) =>
      apiFetch(`${serverPath(serverId)}/complete`, {
        method: 'POST',
        body: request,
        schema: CompletionSchema,
        signal,
      }),
    select: (completion) => completion.values,
    placeholderData: (previous) => previous,
    staleTime: 30_000,
    retry: false,
  })

export const serverQueries = {
  all: () => ['mcp-servers'] as const,
  list: () =>
    queryOptions({
      queryKey: [...serverQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiFetch(BASE, { schema: McpServerListSchema, signal }),
      select: (list) => list.servers,
    }),
  stats: () =>
    queryOptions({
      queryKey: [...serverQueries.all(), 'stats'] as const,
      queryFn: ({ signal }) => apiFetch(`${BASE}/stats`, { schema: McpServerStatsSchema, signal }),
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...serverQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) => apiFetch(serverPath(id), { schema: McpServerViewSchema, signal }),
    }),
  tools: (id: string) =>
    queryOptions({
      queryKey: [...serverQueries.all(), 'detail', id, 'tools'] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${serverPath(id)}/tools`, { schema: McpToolListSchema, signal }),
      select: (list) => list.tools,
    }),
  /** A tool's MCP App, as cached with the tool (never asks the server). */
  app: (id: string, toolId: string) =>
    queryOptions({
      queryKey: [...serverQueries.all(), 'detail', id, 'app', toolId] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${serverPath(id)}/tools/${encodeURIComponent(toolId)}/app`, {
          schema: McpAppViewSchema,
          signal,
        }),
      retry: false,
    }),
  resources: (id: string) =>
    queryOptions({
      queryKey: [...serverQueries.all(), 'detail', id, 'resources'] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${serverPath(id)}/resources`, { schema: McpResourceListSchema, signal }),
    }),
  prompts: (id: string) =>
    queryOptions({
      queryKey: [...serverQueries.all(), 'detail', id, 'prompts'] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${serverPath(id)}/prompts`, { schema: McpPromptListSchema, signal }),
    }),
  /** Asks the server each time it is opened: a resource's contents may change at any moment. */
  readResource: (id: string, uri: string) =>
    queryOptions({
      queryKey: [...serverQueries.all(), 'detail', id, 'resource', uri] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${serverPath(id)}/resources/read?uri=${encodeURIComponent(uri)}`, {
          schema: McpResourceReadSchema,
          signal,
        }),
      select: (read) => read.contents,
      staleTime: 0,
      gcTime: 0,
      retry: false,
    }),
}

/**
 * Every change to a server can move its status, its tool counts and the stats: refetch the lot.
 * It is a handful of small queries, and only those on screen are refetched at once.
 */
function useInvalidateServers() {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: serverQueries.all() })
}

/** The server is connected to and its tools listed before it is saved, unless `validate: false`. */
export function useCreateServer() {
  const invalidate = useInvalidateServers()
  return useMutation({
    mutationFn: (input: McpServerCreate) =>
      apiFetch(BASE, { method: 'POST', body: input, schema: McpServerViewSchema }),
    onSuccess: invalidate,
  })
}

export function useUpdateServer() {
  const invalidate = useInvalidateServers()
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: McpServerUpdate }) =>
      apiFetch(serverPath(id), { method: 'PATCH', body: changes, schema: McpServerViewSchema }),
    onSuccess: invalidate,
  })
}

export function useDeleteServer() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => apiFetch(serverPath(id), { method: 'DELETE' }),
    // Refetch all but the deleted server's own queries: those would only answer 404 now. They
    // are left to garbage collection once its page is gone.
    onSuccess: (_data, id) =>
      queryClient.invalidateQueries({
        queryKey: serverQueries.all(),
        predicate: (query) => !isServerDetailKey(query.queryKey, id),
      }),
  })
}

function isServerDetailKey(key: readonly unknown[], id: string): boolean {
  const detail = serverQueries.detail(id).queryKey
  return detail.every((part, index) => key[index] === part)
}

/** Connects now; the reply is data (ok or the error), and the stored status changes with it. */
export function useTestServer() {
  const invalidate = useInvalidateServers()
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`${serverPath(id)}/test`, { method: 'POST', schema: McpServerTestResultSchema }),
    onSettled: invalidate,
  })
}

/**
 * Starts the OAuth sign-in: the reply is the authorization server's URL, where the browser goes
 * next; the server sends it back to /servers?oauth=connected (or =error&message=…).
 */
export function useStartOAuth() {
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`${serverPath(id)}/oauth/start`, { method: 'POST', schema: OAuthStartReplySchema }),
    onSuccess: ({ authorizationUrl }) => {
      window.location.assign(authorizationUrl)
    },
  })
}

export function useSyncServer() {
  const invalidate = useInvalidateServers()
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`${serverPath(id)}/sync`, { method: 'POST', schema: McpServerSyncResultSchema }),
    // A failed sync records the server's new status too.
    onSettled: invalidate,
  })
}

const toolPath = (serverId: string, toolId: string) =>
  `${serverPath(serverId)}/tools/${encodeURIComponent(toolId)}`

function patchTool(serverId: string, toolId: string, changes: McpToolUpdate) {
  return apiFetch(toolPath(serverId, toolId), {
    method: 'PATCH',
    body: changes,
    schema: McpToolViewSchema,
  })
}

export function useUpdateTool(serverId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ toolId, changes }: { toolId: string; changes: McpToolUpdate }) =>
      patchTool(serverId, toolId, changes),
    onSuccess: (tool) => {
      // Show the tool as the server now has it at once; counts elsewhere follow by refetch.
      queryClient.setQueryData(
        serverQueries.tools(serverId).queryKey,
        (list: McpToolList | undefined) =>
          list && { tools: list.tools.map((t) => (t.id === tool.id ? tool : t)) },
      )
      return queryClient.invalidateQueries({ queryKey: serverQueries.all() })
    },
  })
}

/** Enables or disables several tools (one request each: the API changes one tool at a time). */
/** "Enable all" / "Disable all" (of the tools shown): one request, one audit entry. */
export function useSetToolsEnabled(serverId: string) {
  const invalidate = useInvalidateServers()
  return useMutation({
    mutationFn: (body: McpToolsSwitch) =>
      apiFetch(`${serverPath(serverId)}/tools`, {
        method: 'PATCH',
        body,
        schema: McpToolsSwitchResultSchema,
      }),
    onSettled: invalidate,
  })
}
