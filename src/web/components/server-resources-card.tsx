import { useQuery } from '@tanstack/react-query'
import { FileText } from 'lucide-react'
import { type ReactNode, useDeferredValue, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { McpResourceView } from '../../shared/mcp-resources.ts'
import type { McpServerView } from '../../shared/mcp-servers.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { EmptyState } from './empty-state.tsx'
import { ErrorState } from './error-state.tsx'
import { ResourcePreviewDialog } from './resource-preview-dialog.tsx'
import { SearchField } from './search-field.tsx'
import { TemplateForm } from './template-form.tsx'
import { Button } from './ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'
import { Skeleton } from './ui/skeleton.tsx'

/** Below this many resources a filter box is more clutter than help. */
const SEARCH_FROM = 6

function matches(resource: McpResourceView, query: string): boolean {
  const needle = query.trim().toLowerCase()
  if (!needle) return true
  return [resource.name, resource.title ?? '', resource.uri, resource.description ?? ''].some(
    (text) => text.toLowerCase().includes(needle),
  )
}

/** What the server offers to read: its resources to preview, its templates to fill in and read. */
export function ServerResourcesCard({ server }: { server: McpServerView }) {
  const { t } = useTranslation()
  const id = useId()
  const listing = useQuery(serverQueries.resources(server.id))
  const [query, setQuery] = useState('')
  const deferredQuery = useDeferredValue(query)
  const [reading, setReading] = useState<string | null>(null)

  const resources = listing.data?.resources ?? []
  const templates = listing.data?.templates ?? []
  const shown = resources.filter((resource) => matches(resource, deferredQuery))

  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardHeader className="gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex flex-col gap-1.5">
          <CardTitle id={`${id}-title`}>{t('resources.title')}</CardTitle>
          <CardDescription>{t('resources.description')}</CardDescription>
        </div>
        {listing.isSuccess && resources.length + templates.length > 0 && (
          <p className="text-sm font-medium whitespace-nowrap" data-testid="resources-summary">
            {t('resources.count', { count: resources.length, templates: templates.length })}
          </p>
        )}
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        {listing.isPending ? (
          <div role="status" className="flex flex-col gap-3">
            <span className="sr-only">{t('resources.loading')}</span>
            {[0, 1].map((row) => (
              <Skeleton key={row} className="h-10 w-full" />
            ))}
          </div>
        ) : listing.isError ? (
          <ErrorState error={listing.error} onRetry={() => listing.refetch()} />
        ) : (
          <>
            {listing.data.error && (
              <p className="text-sm text-muted-foreground" role="note">
                {t('resources.listError', { error: listing.data.error })}
              </p>
            )}
            {resources.length + templates.length === 0 ? (
              <EmptyState icon={FileText} title={t('resources.emptyTitle')}>
                <p>{t('resources.emptyBody')}</p>
              </EmptyState>
            ) : null}
            {resources.length >= SEARCH_FROM && (
              <SearchField
                label={t('resources.search')}
                placeholder={t('resources.searchPlaceholder')}
                value={query}
                onValueChange={setQuery}
              />
            )}
            {deferredQuery.trim() && (
              <p className="text-sm text-muted-foreground" aria-live="polite">
                {shown.length === 0
                  ? t('resources.noMatches', { query: deferredQuery.trim() })
                  : t('resources.showing', { shown: shown.length, total: resources.length })}
              </p>
            )}
            {shown.length > 0 && (
              <ul
                className="flex flex-col divide-y"
                aria-label={t('resources.listLabel', { name: server.name })}
              >
                {shown.map((resource) => (
                  <ResourceRow
                    key={resource.id}
                    resource={resource}
                    onOpen={() => setReading(resource.uri)}
                  />
                ))}
              </ul>
            )}
            {templates.length > 0 && (
              <section className="flex flex-col gap-2" aria-labelledby={`${id}-templates`}>
                <h3 id={`${id}-templates`} className="text-sm font-semibold">
                  {t('resources.templates')}
                </h3>
                <p className="text-sm text-muted-foreground">{t('resources.templatesHint')}</p>
                <ul className="flex flex-col divide-y">
                  {templates.map((template) => (
                    <TemplateRow
                      key={template.id}
                      serverId={server.id}
                      template={template}
                      onRead={setReading}
                    />
                  ))}
                </ul>
              </section>
            )}
          </>
        )}
      </CardContent>
      <ResourcePreviewDialog serverId={server.id} uri={reading} onClose={() => setReading(null)} />
    </Card>
  )
}

function ResourceRow({ resource, onOpen }: { resource: McpResourceView; onOpen: () => void }) {
  const { t, i18n } = useTranslation()
  const label = resource.title ?? resource.name
  return (
    <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
      <EntryHeading entry={resource}>
        {(resource.mimeType || resource.size !== null) && (
          <p className="text-xs text-muted-foreground">
            {[
              resource.mimeType,
              resource.size !== null ? formatBytes(resource.size, i18n.language) : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        )}
      </EntryHeading>
      <Button
        variant="outline"
        size="sm"
        className="self-start sm:self-center"
        aria-label={t('resources.openLabel', { name: label })}
        onClick={onOpen}
      >
        {t('resources.open')}
      </Button>
    </li>
  )
}

/** A resource's or a template's name, URI and description; `children` below them. */
function EntryHeading({ entry, children }: { entry: McpResourceView; children?: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      <p className="font-medium break-words">{entry.title ?? entry.name}</p>
      <p className="font-mono text-xs break-all text-muted-foreground">{entry.uri}</p>
      {entry.description && <p className="text-sm text-muted-foreground">{entry.description}</p>}
      {children}
    </div>
  )
}

/** A template's variables as fields (with the server's suggestions); Read expands it. */
function TemplateRow({
  serverId,
  template,
  onRead,
}: {
  serverId: string
  template: McpResourceView
  onRead: (uri: string) => void
}) {
  const { t } = useTranslation()
  const label = template.title ?? template.name
  return (
    <li className="flex flex-col gap-2 py-3">
      <EntryHeading entry={template} />
      <TemplateForm
        serverId={serverId}
        template={template.uri}
        submitLabel={t('resources.read')}
        submitAriaLabel={t('resources.readLabel', { name: label })}
        onSubmit={onRead}
      />
    </li>
  )
}

function formatBytes(bytes: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value)
}
