import { useQuery } from '@tanstack/react-query'
import { Navigate, Outlet } from 'react-router'
import { authQueries } from '../api/auth.ts'
import { useReturnTo } from '../hooks/use-return-to.ts'
import { FullPageSpinner } from './full-page-status.tsx'

/** Sign-in and sign-up routes: a signed-in user is sent on to where they were going, or to chat. */
export function GuestOnly() {
  const me = useQuery(authQueries.me())
  const returnTo = useReturnTo()
  if (me.isPending) return <FullPageSpinner />
  if (me.data) return <Navigate to={returnTo ?? '/chat'} replace />
  // When `me` failed to load, still show the forms: submitting them reports the problem.
  return <Outlet />
}
