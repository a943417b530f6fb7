import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { serverQueries } from '../api/mcp-servers.ts'
import { ErrorAlert } from './error-alert.tsx'
import { ResourceContent } from './resource-content.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from './ui/dialog.tsx'
import { Spinner } from './ui/spinner.tsx'

/** Reads the resource when opened, and shows what came back. */
export function ResourcePreviewDialog({
  serverId,
  uri,
  onClose,
}: {
  serverId: string
  uri: string | null
  onClose: () => void
}) {
  const { t } = useTranslation()
  const read = useQuery({
    ...serverQueries.readResource(serverId, uri ?? ''),
    enabled: uri !== null,
  })
  return (
    <Dialog open={uri !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="sm:max-w-2xl" closeLabel={t('common.close')}>
        <DialogHeader>
          <DialogTitle>{t('resources.previewTitle')}</DialogTitle>
          <DialogDescription className="font-mono text-xs break-all">{uri}</DialogDescription>
        </DialogHeader>
        {read.isPending ? (
          <div className="flex items-center gap-2 text-sm text-muted-foreground">
            <Spinner label={t('resources.reading')} />
            <span aria-hidden="true">{t('resources.reading')}</span>
          </div>
        ) : read.isError ? (
          <ErrorAlert error={read.error} />
        ) : read.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('resources.emptyContents')}</p>
        ) : (
          <div className="flex flex-col gap-3" data-testid="resource-contents">
            {read.data.map((content, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: parts of one answer, never reordered
              <ResourceContent key={index} content={content} />
            ))}
          </div>
        )}
      </DialogContent>
    </Dialog>
  )
}
