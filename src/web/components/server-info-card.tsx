import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { healthQueries } from '../api/health.ts'
import { ErrorState } from './error-state.tsx'
import { Badge } from './ui/badge.tsx'
import { Card, CardContent, CardHeader, CardTitle } from './ui/card.tsx'
import { Spinner } from './ui/spinner.tsx'

/** Version and health of this instance: the first thing an administrator asks for in a report. */
export function ServerInfoCard() {
  const { t } = useTranslation()
  const health = useQuery(healthQueries.get())
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('settings.about.title')}</CardTitle>
      </CardHeader>
      <CardContent>
        {health.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : health.isError ? (
          <ErrorState error={health.error} onRetry={() => health.refetch()} />
        ) : (
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="text-muted-foreground">{t('settings.about.status')}</dt>
            <dd className="-mt-2 sm:mt-0">
              <Badge variant={health.data.status === 'ok' ? 'secondary' : 'outline'}>
                {health.data.status === 'ok'
                  ? t('settings.about.statusOk')
                  : t('settings.about.statusDegraded')}
              </Badge>
            </dd>
            <dt className="text-muted-foreground">{t('settings.about.version')}</dt>
            <dd className="-mt-2 font-mono sm:mt-0">{health.data.version}</dd>
            <dt className="text-muted-foreground">{t('settings.about.database')}</dt>
            <dd className="-mt-2 sm:mt-0">
              {health.data.database.kind === 'pglite'
                ? t('settings.about.databasePglite')
                : t('settings.about.databasePostgres')}
              {!health.data.database.reachable && ` (${t('settings.about.databaseUnreachable')})`}
            </dd>
          </dl>
        )}
      </CardContent>
    </Card>
  )
}
