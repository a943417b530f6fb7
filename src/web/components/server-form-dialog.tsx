import { useTranslation } from 'react-i18next'
import type { McpServerView } from '../../shared/mcp-servers.ts'
import { ServerForm } from './server-form.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from './ui/dialog.tsx'

/** `'new'` adds a server, a server edits it, `null` is closed. */
export type ServerFormTarget = McpServerView | 'new' | null

export function ServerFormDialog({
  target,
  onClose,
  onSaved,
}: {
  target: ServerFormTarget
  onClose: () => void
  onSaved?: (server: McpServerView) => void
}) {
  const { t } = useTranslation()
  const server = target === 'new' ? null : target
  return (
    <Dialog open={target !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        closeLabel={t('common.close')}
        className="sm:max-w-xl"
        // A stray click beside the dialog should not throw away a half-typed server.
        onInteractOutside={(event) => event.preventDefault()}
      >
        <DialogHeader>
          <DialogTitle>
            {server
              ? t('servers.form.editTitle', { name: server.name })
              : t('servers.form.addTitle')}
          </DialogTitle>
          <DialogDescription>
            {server ? t('servers.form.editDescription') : t('servers.form.addDescription')}
          </DialogDescription>
        </DialogHeader>
        {/* Keyed, so each opening starts from the server as stored (or blank). */}
        <ServerForm
          key={server?.id ?? 'new'}
          server={server}
          onDone={(saved) => {
            onSaved?.(saved)
            onClose()
          }}
        />
      </DialogContent>
    </Dialog>
  )
}
