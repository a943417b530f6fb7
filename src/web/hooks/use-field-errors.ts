import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import { ApiError } from '../api/client.ts'

export type FieldErrors = Partial<Record<string, string>>

/**
 * Messages per field: from the shared schema checked in the browser (translated), else from the
 * server's `validation_failed` reply (as the server wrote them). Keys are dotted field paths.
 */
export function useFieldErrors(
  issues: readonly z.core.$ZodIssue[],
  serverError: unknown,
): FieldErrors {
  const { t } = useTranslation()
  const errors: FieldErrors = serverError instanceof ApiError ? serverError.fieldErrors(t) : {}
  for (const issue of issues) {
    const field = issue.path.join('.')
    errors[field] ??= translateIssue(issue, t)
  }
  return errors
}

function translateIssue(
  issue: z.core.$ZodIssue,
  // TFunction, not the hook's `t` type, which is too deep for the compiler with this many keys.
  t: TFunction,
): string {
  switch (issue.code) {
    case 'invalid_type':
      return t('validation.required')
    case 'invalid_format':
      return issue.format === 'email' ? t('validation.email') : t('validation.invalid')
    case 'too_small':
      return Number(issue.minimum) <= 1
        ? t('validation.required')
        : t('validation.tooShort', { count: Number(issue.minimum) })
    case 'too_big':
      return t('validation.tooLong', { count: Number(issue.maximum) })
    default:
      return t('validation.invalid')
  }
}

/** Moves focus to the input of the first issue, so keyboard and screen-reader users land on it. */
export function focusFirstIssue(form: HTMLFormElement, issues: readonly z.core.$ZodIssue[]): void {
  const field = issues[0]?.path.join('.')
  if (!field) return
  const element = form.elements.namedItem(field)
  if (element instanceof HTMLElement) element.focus()
}
