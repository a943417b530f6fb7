import { useInfiniteQuery } from '@tanstack/react-query'
import type { TFunction } from 'i18next'
import { History } from 'lucide-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AdminUserView } from '../../shared/admin.ts'
import { AUDIT_ACTIONS, type AuditAction, type AuditEntryView } from '../../shared/audit.ts'
import { FieldIssueSchema } from '../../shared/errors.ts'
import { adminQueries } from '../api/admin.ts'
import { auditQueries } from '../api/audit.ts'
import { useFormatDateTime } from '../hooks/use-format-date-time.ts'
import { reasonText } from '../i18n/reason-text.ts'
import { EmptyState } from './empty-state.tsx'
import { ErrorState } from './error-state.tsx'
import { Button } from './ui/button.tsx'
import { Label } from './ui/label.tsx'
import { Select } from './ui/select.tsx'
import { Spinner } from './ui/spinner.tsx'

export interface AuditListProps {
  /** `own`: the signed-in user's entries; `all`: everyone's (admins only). */
  scope: 'own' | 'all'
  /** With `scope="all"`: offer a filter by user. */
  users?: readonly AdminUserView[] | undefined
}

/** Audit entries newest first, filtered by event (and user), 50 at a time with "Load more". */
export function AuditList({ scope, users }: AuditListProps) {
  const { t } = useTranslation()
  const actionId = useId()
  const userSelectId = useId()
  const [action, setAction] = useState<AuditAction | ''>('')
  const [userId, setUserId] = useState('')
  const filter = { action: action || undefined, userId: userId || undefined }
  const entries = useInfiniteQuery(
    scope === 'all' ? adminQueries.audit(filter) : auditQueries.own({ action: filter.action }),
  )
  const rows = entries.data?.pages.flatMap((page) => page.entries) ?? []
  const filtered = action !== '' || userId !== ''

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex min-w-48 flex-col gap-1.5">
          <Label htmlFor={actionId}>{t('audit.actionFilter')}</Label>
          <Select
            id={actionId}
            value={action}
            onChange={(event) => setAction(event.target.value as AuditAction | '')}
          >
            <option value="">{t('audit.allActions')}</option>
            {AUDIT_ACTIONS.map((value) => (
              <option key={value} value={value}>
                {t(actionKey(value))}
              </option>
            ))}
          </Select>
        </div>
        {scope === 'all' && users && users.length > 0 && (
          <div className="flex min-w-48 flex-col gap-1.5">
            <Label htmlFor={userSelectId}>{t('audit.userFilter')}</Label>
            <Select
              id={userSelectId}
              value={userId}
              onChange={(event) => setUserId(event.target.value)}
            >
              <option value="">{t('audit.allUsers')}</option>
              {users.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.email}
                </option>
              ))}
            </Select>
          </div>
        )}
      </div>
      {entries.isPending ? (
        <div className="flex justify-center py-6">
          <Spinner label={t('common.loading')} />
        </div>
      ) : entries.isError && rows.length === 0 ? (
        <ErrorState error={entries.error} onRetry={() => entries.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState icon={History} title={t(filtered ? 'audit.noMatches' : 'audit.emptyTitle')}>
          {!filtered && <p>{t('audit.emptyBody')}</p>}
        </EmptyState>
      ) : (
        <>
          <AuditTable entries={rows} />
          {entries.isFetchNextPageError && (
            <ErrorState error={entries.error} onRetry={() => entries.fetchNextPage()} />
          )}
          {entries.hasNextPage && !entries.isFetchNextPageError && (
            <div className="flex justify-center">
              <Button
                variant="outline"
                onClick={() => entries.fetchNextPage()}
                disabled={entries.isFetchingNextPage}
              >
                {entries.isFetchingNextPage && <Spinner label={t('common.loading')} />}
                {t('audit.loadMore')}
              </Button>
            </div>
          )}
        </>
      )}
    </div>
  )
}

type Underscored<S extends string> = S extends `${infer A}.${infer B}` ? `${A}_${B}` : S

/** i18next reads dots as nesting: `auth.sign_in` is translated as `audit.actions.auth_sign_in`. */
function actionKey<A extends AuditAction>(action: A): `audit.actions.${Underscored<A>}` {
  return `audit.actions.${action.replace('.', '_')}` as `audit.actions.${Underscored<A>}`
}

function AuditTable({ entries }: { entries: readonly AuditEntryView[] }) {
  const { t } = useTranslation()
  const formatDateTime = useFormatDateTime()
  const describe = useDescribeEntry()
  return (
    <div className="overflow-x-auto rounded-lg border">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t('audit.listLabel')}</caption>
        <thead className="bg-muted/50 text-muted-foreground">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('audit.columnTime')}
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('audit.columnEvent')}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
              {t('audit.columnActor')}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
              {t('audit.columnTarget')}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium lg:table-cell">
              {t('audit.columnIp')}
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const about = describe(entry)
            return (
              <tr key={entry.id} className="border-t">
                <td className="px-3 py-2 align-top whitespace-nowrap">
                  <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                </td>
                <th scope="row" className="px-3 py-2 align-top font-medium">
                  {t(actionKey(entry.action))}
                  {/* Narrow screens: who and what fold under the event. */}
                  {about && (
                    <span className="mt-1 block text-xs font-normal break-all text-muted-foreground sm:hidden">
                      {about}
                    </span>
                  )}
                  {/* An email is never broken mid-word: on a phone the table scrolls sideways. */}
                  <span className="mt-1 block text-xs font-normal whitespace-nowrap text-muted-foreground md:hidden">
                    {entry.actor}
                  </span>
                </th>
                <td className="hidden px-3 py-2 align-top whitespace-nowrap md:table-cell">
                  {entry.actor}
                </td>
                <td className="hidden px-3 py-2 align-top break-all sm:table-cell">
                  {about || '—'}
                </td>
                <td className="hidden px-3 py-2 align-top font-mono text-xs lg:table-cell">
                  {entry.ip ?? '—'}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

/** One line about what the entry concerns, from its (already redacted) details; '' if nothing. */
function useDescribeEntry(): (entry: AuditEntryView) => string {
  const { t } = useTranslation()
  return ({ details }) => {
    const parts: string[] = []
    const text = (key: string) => (typeof details[key] === 'string' ? details[key] : undefined)
    const name = text('name')
    const server = text('server')
    const tool = text('tool')
    const email = text('email')
    if (server && tool) parts.push(`${server} / ${tool}`)
    else if (name) parts.push(name)
    else if (server) parts.push(server)
    if (email) parts.push(email)
    const fields = Array.isArray(details.fields) ? details.fields : []
    // Field names an update changed, or the problems of a refused request.
    const changed = fields.filter((field): field is string => typeof field === 'string')
    if (changed.length > 0) parts.push(t('audit.changedFields', { fields: changed.join(', ') }))
    const problems = fields.flatMap((field) => {
      const issue = FieldIssueSchema.safeParse(field)
      return issue.success
        ? [`${issue.data.field}: ${reasonText(t, issue.data.reason, issue.data.message)}`]
        : []
    })
    if (problems.length > 0) parts.push(t('audit.invalidFields', { fields: problems.join('; ') }))
    // "Enable all": how many tools, and (the first 50 of) their names.
    const tools = Array.isArray(details.tools)
      ? details.tools.filter((entry): entry is string => typeof entry === 'string')
      : []
    const count = typeof details.count === 'number' ? details.count : tools.length
    if (tools.length > 0) {
      const names = tools.join(', ') + (count > tools.length ? ', …' : '')
      parts.push(t('audit.tools', { count, names }))
    }
    const from = policyLabel(t, text('from'))
    const to = policyLabel(t, text('to'))
    if (from && to) parts.push(t('audit.policyChange', { from, to }))
    return parts.join(' · ')
  }
}

// TFunction, not the hook's own `t` type: with as many keys as we have, checking the template
// key against that type goes too deep for the compiler (TS2589).
type Translate = TFunction

function policyLabel(t: Translate, policy: string | undefined): string | undefined {
  if (policy === 'auto' || policy === 'always' || policy === 'never') {
    return t(`tools.approval.${policy}`)
  }
  return undefined
}
