import { useTranslation } from 'react-i18next'
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
} from './ui/alert-dialog.tsx'
import { Button } from './ui/button.tsx'
import { DialogFooter } from './ui/dialog.tsx'

/** What an MCP App asks for that reaches beyond its card. */
export type AppRequest =
  | { kind: 'message'; text: string }
  | { kind: 'link'; url: string }
  | { kind: 'call'; tool: string }

const WORDS = {
  message: { title: 'apps.confirmMessageTitle', body: 'apps.confirmMessageBody', ok: 'apps.send' },
  link: { title: 'apps.confirmLinkTitle', body: 'apps.confirmLinkBody', ok: 'apps.open' },
  call: { title: 'apps.confirmCallTitle', body: 'apps.confirmCallBody', ok: 'apps.run' },
} as const

/**
 * Asks the user before an app's request goes anywhere: what the app wants, quoted exactly as it
 * asked (a message's text, a link's URL, a tool's name), and Cancel as the safe default.
 */
export function McpAppConfirmDialog({
  request,
  toolName,
  onAnswer,
}: {
  request: AppRequest | null
  /** The tool whose app asks. */
  toolName: string
  onAnswer: (ok: boolean) => void
}) {
  const { t } = useTranslation()
  const words = WORDS[request?.kind ?? 'call']
  const quoted =
    request?.kind === 'message' ? request.text : request?.kind === 'link' ? request.url : null
  return (
    <AlertDialog open={request !== null} onOpenChange={(open) => !open && onAnswer(false)}>
      <AlertDialogContent>
        <div className="flex flex-col gap-2">
          <AlertDialogTitle>{t(words.title)}</AlertDialogTitle>
          <AlertDialogDescription>
            {t(words.body, {
              tool: toolName,
              call: request?.kind === 'call' ? request.tool : '',
            })}
          </AlertDialogDescription>
        </div>
        {quoted !== null && (
          <blockquote className="max-h-60 overflow-auto rounded-md border bg-muted/50 px-3 py-2 text-sm break-words whitespace-pre-wrap">
            {quoted}
          </blockquote>
        )}
        <DialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline">{t('common.cancel')}</Button>
          </AlertDialogCancel>
          <Button onClick={() => onAnswer(true)}>{t(words.ok)}</Button>
        </DialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}
