import { useQuery } from '@tanstack/react-query'
import { Trash2 } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { ApiTokenView } from '../../shared/auth.ts'
import { profileQueries } from '../api/mcp-endpoint.ts'
import { useFormatDateTime } from '../hooks/use-format-date-time.ts'
import { Button } from './ui/button.tsx'

export interface ApiTokenTableProps {
  tokens: readonly ApiTokenView[]
  onRevoke: (token: ApiTokenView) => void
}

/** Tokens by name and prefix; on narrow screens the dates fold under the name. */
export function ApiTokenTable({ tokens, onRevoke }: ApiTokenTableProps) {
  const { t } = useTranslation()
  const formatDateTime = useFormatDateTime()
  const profiles = useQuery(profileQueries.list())
  const profileNames = new Map(profiles.data?.map((profile) => [profile.id, profile.name]))
  const lastUsed = (token: ApiTokenView) =>
    token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('settings.tokens.neverUsed')

  return (
    <div className="overflow-x-auto rounded-lg border">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t('settings.tokens.listLabel')}</caption>
        <thead className="bg-muted/50 text-muted-foreground">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('settings.tokens.columnName')}
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('settings.tokens.columnPrefix')}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
              {t('settings.tokens.columnCreated')}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
              {t('settings.tokens.columnLastUsed')}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              <span className="sr-only">{t('settings.tokens.columnActions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id} className="border-t">
              <th scope="row" className="px-3 py-2 align-top font-medium">
                <span className="break-all">{token.name}</span>
                {token.profileId && (
                  <span className="block text-xs font-normal text-muted-foreground">
                    {t('settings.tokens.profileOnly', {
                      name: profileNames.get(token.profileId) ?? '…',
                    })}
                  </span>
                )}
                <span className="mt-1 block text-xs font-normal text-muted-foreground md:hidden">
                  {t('settings.tokens.createdOn', { date: formatDateTime(token.createdAt) })}
                  <br />
                  {token.lastUsedAt
                    ? t('settings.tokens.lastUsedOn', { date: lastUsed(token) })
                    : lastUsed(token)}
                </span>
              </th>
              <td className="px-3 py-2 align-top">
                <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">
                  {token.prefix}…
                </code>
              </td>
              <td className="hidden px-3 py-2 align-top whitespace-nowrap md:table-cell">
                {formatDateTime(token.createdAt)}
              </td>
              <td className="hidden px-3 py-2 align-top whitespace-nowrap md:table-cell">
                {lastUsed(token)}
              </td>
              <td className="px-3 py-1.5 text-right align-top">
                <Button
                  variant="ghost"
                  size="sm"
                  className="text-destructive hover:text-destructive"
                  aria-label={t('settings.tokens.revokeLabel', { name: token.name })}
                  onClick={() => onRevoke(token)}
                >
                  <Trash2 aria-hidden="true" />
                  <span className="hidden sm:inline">{t('settings.tokens.revoke')}</span>
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
