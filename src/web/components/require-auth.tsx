import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Navigate, Outlet, useLocation } from 'react-router'
import { authQueries } from '../api/auth.ts'
import type { ReturnToState } from '../hooks/use-return-to.ts'
import { SignedInUserContext } from '../hooks/use-signed-in-user.ts'
import { FullPageError, FullPageSpinner } from './full-page-status.tsx'

/** Renders its routes for a signed-in user; anyone else goes to sign in and comes back after. */
export function RequireAuth() {
  const me = useQuery(authQueries.me())
  const location = useLocation()
  const [wasSignedIn, setWasSignedIn] = useState(false)
  if (me.data && !wasSignedIn) setWasSignedIn(true)
  // Data first: a failed background refetch keeps the last answer, and that answer still holds.
  if (me.data === null) {
    // Only a visitor who arrived signed out is brought back afterwards. After signing out (or the
    // session ending) here, the next sign-in may be someone else's: they start at chat.
    const state: ReturnToState | undefined = wasSignedIn ? undefined : { from: location }
    return <Navigate to="/login" replace state={state} />
  }
  if (!me.data) {
    if (me.isError) return <FullPageError error={me.error} onRetry={() => me.refetch()} />
    return <FullPageSpinner />
  }
  return (
    <SignedInUserContext value={me.data}>
      <Outlet />
    </SignedInUserContext>
  )
}
