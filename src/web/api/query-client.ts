import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query'
import { forgetSignedInUser } from './auth.ts'
import { ApiError } from './client.ts'

const MAX_RETRIES = 2

export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    // Any call answered 401 means the session ended (expired, signed out elsewhere): go to sign-in.
    queryCache: new QueryCache({ onError: (error) => onApiError(queryClient, error) }),
    mutationCache: new MutationCache({ onError: (error) => onApiError(queryClient, error) }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Retrying a 4xx gives the same answer; retry only what may be passing (network, 5xx).
        retry: (failureCount, error) =>
          failureCount < MAX_RETRIES &&
          !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  })
  return queryClient
}

function onApiError(queryClient: QueryClient, error: unknown): void {
  if (error instanceof ApiError && error.code === 'unauthenticated') forgetSignedInUser(queryClient)
}
