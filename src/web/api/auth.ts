import { type QueryClient, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import {
  AuthOptionsSchema,
  type Login,
  type Me,
  MeSchema,
  type Register,
  type SsoStart,
  SsoStartedSchema,
} from '../../shared/auth.ts'
import { ApiError, apiFetch } from './client.ts'

export const authQueries = {
  all: () => ['auth'] as const,
  /** The signed-in user, or `null` when nobody is signed in (a 401 is an answer, not an error). */
  me: () =>
    queryOptions({
      queryKey: [...authQueries.all(), 'me'] as const,
      queryFn: ({ signal }) => fetchMe(signal),
      staleTime: 60_000,
      // Every page waits on this answer: when the server is down, say so now rather than after retries.
      retry: false,
    }),
  options: () =>
    queryOptions({
      queryKey: [...authQueries.all(), 'options'] as const,
      queryFn: ({ signal }) => apiFetch('/api/auth/options', { schema: AuthOptionsSchema, signal }),
    }),
}

async function fetchMe(signal: AbortSignal): Promise<Me | null> {
  try {
    return await apiFetch('/api/auth/me', { schema: MeSchema, signal })
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null
    throw error
  }
}

/**
 * Forgets the signed-in user and everything cached for them, so the next person on this browser
 * never sees it. Setting `me` to null is what sends the app back to the sign-in page.
 */
export function forgetSignedInUser(queryClient: QueryClient): void {
  queryClient.setQueryData(authQueries.me().queryKey, null)
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authQueries.all()[0] })
}

export function useLogin() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: Login) =>
      apiFetch('/api/auth/login', { method: 'POST', body: input, schema: MeSchema }),
    onSuccess: (me) => queryClient.setQueryData(authQueries.me().queryKey, me),
  })
}

export function useRegister() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: Register) =>
      apiFetch('/api/auth/register', { method: 'POST', body: input, schema: MeSchema }),
    onSuccess: async (me) => {
      queryClient.setQueryData(authQueries.me().queryKey, me)
      await queryClient.invalidateQueries({ queryKey: authQueries.options().queryKey })
    },
  })
}

export function useLogout() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => apiFetch('/api/auth/logout', { method: 'POST' }),
    onSuccess: () => forgetSignedInUser(queryClient),
  })
}

/**
 * Single sign-on: asks for the provider's URL (the answer also sets the cookie that ties its
 * callback to this browser) and leaves for it. The mutation stays pending while the page unloads.
 */
export function useSsoSignIn() {
  return useMutation({
    mutationFn: async (input: SsoStart) => {
      const { url } = await apiFetch('/api/auth/sso/start', {
        method: 'POST',
        body: input,
        schema: SsoStartedSchema,
      })
      window.location.assign(url)
      await new Promise(() => {})
    },
  })
}
