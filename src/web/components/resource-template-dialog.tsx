import { useTranslation } from 'react-i18next'
import type { McpResourceMatch } from '../../shared/mcp-resources.ts'
import { TemplateForm } from './template-form.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from './ui/dialog.tsx'

/** Asks for a template's variables (with the server's suggestions), then attaches what it makes. */
export function ResourceTemplateDialog({
  template,
  onAttach,
  onClose,
}: {
  template: McpResourceMatch | null
  onAttach: (uri: string, name: string) => void
  onClose: () => void
}) {
  const { t } = useTranslation()
  const label = template ? (template.title ?? template.name) : ''
  return (
    <Dialog open={template !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent closeLabel={t('common.close')}>
        <DialogHeader>
          <DialogTitle>{t('chat.menu.templateTitle', { name: label })}</DialogTitle>
          <DialogDescription>
            {t('chat.menu.templateDescription', { server: template?.serverName ?? '' })}
          </DialogDescription>
        </DialogHeader>
        {template && (
          <>
            <p className="font-mono text-xs break-all text-muted-foreground">{template.uri}</p>
            {template.description && <p className="text-sm">{template.description}</p>}
            <TemplateForm
              serverId={template.serverId}
              template={template.uri}
              submitLabel={t('chat.menu.attach')}
              autoFocus
              onSubmit={(uri, values) =>
                onAttach(uri, `${label} · ${Object.values(values).filter(Boolean).join(', ')}`)
              }
            />
          </>
        )}
      </DialogContent>
    </Dialog>
  )
}
