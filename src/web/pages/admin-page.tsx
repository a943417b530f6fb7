import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { ShieldAlert } from 'lucide-react'
import { lazy, Suspense, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AdminStats } from '../../shared/admin.ts'
import type { ToolCallStatus } from '../../shared/tool-calls.ts'
import { adminQueries } from '../api/admin.ts'
import { AdminModelsSection } from '../components/admin-models/admin-models-section.tsx'
import { AdminUsageSection } from '../components/admin-usage/admin-usage-section.tsx'
import { RegistrationCard } from '../components/admin-users/registration-card.tsx'
import { UsersSection } from '../components/admin-users/users-section.tsx'
import { AuditList } from '../components/audit-list.tsx'
import { EmptyState } from '../components/empty-state.tsx'
import { ErrorState } from '../components/error-state.tsx'
import { PageHeader } from '../components/page-header.tsx'
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../components/ui/card.tsx'
import { Label } from '../components/ui/label.tsx'
import { Select } from '../components/ui/select.tsx'
import { Skeleton } from '../components/ui/skeleton.tsx'
import { useSignedInUser } from '../hooks/use-signed-in-user.ts'

const WINDOWS = [
  { hours: 24, label: 'admin.window.hours24' },
  { hours: 168, label: 'admin.window.hours168' },
  { hours: 720, label: 'admin.window.hours720' },
] as const

// recharts is most of a megabyte: load it only with this page.
const AdminCharts = lazy(() =>
  import('../components/admin-charts.tsx').then((m) => ({ default: m.AdminCharts })),
)

const FAILED_STATUSES: readonly ToolCallStatus[] = ['failed', 'timeout', 'interrupted']

/** Admins only: the server refuses the data to others anyway; this says so instead of a 403. */
export function AdminPage() {
  const { t } = useTranslation()
  const { user } = useSignedInUser()
  if (user.role !== 'admin') {
    return (
      <>
        <PageHeader title={t('admin.title')} />
        <EmptyState icon={ShieldAlert} title={t('admin.forbiddenTitle')}>
          <p>{t('admin.forbiddenBody')}</p>
        </EmptyState>
      </>
    )
  }
  return <AdminDashboard />
}

function AdminDashboard() {
  const { t } = useTranslation()
  const windowId = useId()
  const [hours, setHours] = useState<number>(WINDOWS[0].hours)
  // The previous period stays on screen while the next one loads.
  const stats = useQuery({ ...adminQueries.stats(hours), placeholderData: keepPreviousData })
  const users = useQuery({ ...adminQueries.users(hours), placeholderData: keepPreviousData })

  return (
    <>
      <PageHeader
        title={t('admin.title')}
        description={t('admin.description')}
        actions={
          <div className="flex items-center gap-2">
            <Label htmlFor={windowId}>{t('admin.window.label')}</Label>
            <Select
              id={windowId}
              value={hours}
              onChange={(event) => setHours(Number(event.target.value))}
            >
              {WINDOWS.map((option) => (
                <option key={option.hours} value={option.hours}>
                  {t(option.label)}
                </option>
              ))}
            </Select>
          </div>
        }
      />
      <AdminSectionNav />
      <div className="flex flex-col gap-6">
        <div id="admin-overview" className="flex scroll-mt-20 flex-col gap-6">
          {stats.isPending ? (
            <StatsSkeleton />
          ) : stats.isError ? (
            <ErrorState error={stats.error} onRetry={() => stats.refetch()} />
          ) : (
            <StatsOverview stats={stats.data} />
          )}
        </div>
        <div id="admin-users" className="scroll-mt-20">
          <UsersSection hours={hours} />
        </div>
        <div id="admin-registration" className="scroll-mt-20">
          <RegistrationCard />
        </div>
        <Card id="admin-audit" className="scroll-mt-20">
          <CardHeader>
            <CardTitle>{t('admin.audit.title')}</CardTitle>
            <CardDescription>{t('admin.audit.description')}</CardDescription>
          </CardHeader>
          <CardContent>
            <AuditList scope="all" users={users.data?.users} />
          </CardContent>
        </Card>
        {/* These two carry their own ids (admin-models, admin-usage). */}
        <AdminModelsSection />
        <AdminUsageSection />
      </div>
    </>
  )
}

/** The page is long: links to its sections, in one row that scrolls sideways on a phone. */
function AdminSectionNav() {
  const { t } = useTranslation()
  const sections = [
    ['admin-overview', t('admin.sections.overview')],
    ['admin-users', t('adminUsers.title')],
    ['admin-registration', t('adminUsers.registration.title')],
    ['admin-audit', t('admin.audit.title')],
    ['admin-models', t('adminModels.title')],
    ['admin-usage', t('adminUsage.title')],
  ] as const
  return (
    <nav aria-label={t('admin.sections.label')} className="-mt-2 mb-6 overflow-x-auto">
      <ul className="flex gap-1 text-sm whitespace-nowrap">
        {sections.map(([id, label]) => (
          <li key={id}>
            <a
              href={`#${id}`}
              className="inline-flex rounded-md px-2.5 py-1.5 text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

function StatsOverview({ stats }: { stats: AdminStats }) {
  const { t, i18n } = useTranslation()
  const percent = new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language, {
    style: 'percent',
    maximumFractionDigits: 1,
  })
  const failed = FAILED_STATUSES.reduce((sum, status) => sum + stats.calls.byStatus[status], 0)
  return (
    <>
      <section aria-label={t('admin.tiles.label')}>
        <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <StatTile
            label={t('admin.tiles.users')}
            value={stats.users.total}
            hint={t('admin.tiles.admins', { count: stats.users.admins })}
          />
          <StatTile
            label={t('admin.tiles.servers')}
            value={stats.servers.total}
            hint={t('admin.tiles.online', { count: stats.servers.byStatus.online })}
          />
          <StatTile
            label={t('admin.tiles.calls')}
            value={stats.calls.total}
            hint={t('admin.tiles.callsHint')}
          />
          <StatTile
            label={t('admin.tiles.failed')}
            value={failed}
            hint={t('admin.tiles.failedHint', {
              percent: percent.format(stats.calls.total ? failed / stats.calls.total : 0),
            })}
          />
        </dl>
      </section>
      <Suspense fallback={<ChartsSkeleton />}>
        <AdminCharts stats={stats} />
      </Suspense>
    </>
  )
}

function StatTile({ label, value, hint }: { label: string; value: number; hint: string }) {
  const { i18n } = useTranslation()
  return (
    <div className="flex flex-col gap-1 rounded-xl border bg-card p-5 shadow-xs">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="text-3xl font-semibold tabular-nums">
        {value.toLocaleString(i18n.resolvedLanguage ?? i18n.language)}
      </dd>
      <dd className="text-xs text-muted-foreground">{hint}</dd>
    </div>
  )
}

function StatsSkeleton() {
  const { t } = useTranslation()
  return (
    <div role="status" className="flex flex-col gap-6">
      <span className="sr-only">{t('admin.loading')}</span>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {[0, 1, 2, 3].map((tile) => (
          <Skeleton key={tile} className="h-28" />
        ))}
      </div>
      <ChartsSkeleton />
    </div>
  )
}

function ChartsSkeleton() {
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
      <Skeleton className="h-72" />
      <Skeleton className="h-72" />
    </div>
  )
}
