import { useTranslation } from 'react-i18next'
import { ApiError } from '../api/client.ts'
import { reasonText } from '../i18n/reason-text.ts'

/** Returns a function that turns any thrown error into a sentence for the user, in their language. */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation()
  return (error) => {
    if (!(error instanceof ApiError)) return t('errors.internal')
    // The server's own reason says most; the code's general sentence where it gave none.
    const message = error.reason
      ? reasonText(t, error.reason, error.message)
      : t(`errors.${error.code}`, { defaultValue: error.message })
    const seconds = error.retryAfterSeconds
    if (seconds === undefined) return message
    if (error.code === 'rate_limited') return t('errorHints.rateLimited', { count: seconds })
    return `${message} ${t('errorHints.retryAfter', { count: seconds })}`
  }
}
