import { useTranslation } from 'react-i18next'
import { ApiError } from '../api/client.ts'

/** Returns a function that turns any thrown error into a sentence for the user, in their language. */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation()
  return (error) => {
    if (!(error instanceof ApiError)) return t('errors.internal')
    const message = t(`errors.${error.code}`, { defaultValue: error.message })
    const seconds = error.retryAfterSeconds
    if (seconds === undefined) return message
    if (error.code === 'rate_limited') return t('errorHints.rateLimited', { count: seconds })
    return `${message} ${t('errorHints.retryAfter', { count: seconds })}`
  }
}
