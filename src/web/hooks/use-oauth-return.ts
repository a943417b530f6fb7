import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { toast } from 'sonner'

/**
 * Back from an OAuth sign-in, the server redirects to /servers?oauth=connected (or
 * oauth=error&message=…): say how it went once, then clean the address bar.
 */
export function useOAuthReturn(): void {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const outcome = params.get('oauth')
  const message = params.get('message') ?? ''
  useEffect(() => {
    if (!outcome) return
    // One id: the effect may run twice before the address bar is cleaned, the toast shows once.
    const id = 'oauth-return'
    if (outcome === 'connected') toast.success(t('servers.oauthConnected'), { id })
    else toast.error(t('servers.oauthFailed', { message }), { id })
    setParams({}, { replace: true })
  }, [outcome, message, setParams, t])
}
