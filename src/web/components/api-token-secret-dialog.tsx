import { Check, Copy, TriangleAlert } from 'lucide-react'
import { useId, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { ApiTokenCreated } from '../../shared/auth.ts'
import { useCopyToClipboard } from '../hooks/use-copy-to-clipboard.ts'
import { Alert } from './ui/alert.tsx'
import { Button } from './ui/button.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from './ui/dialog.tsx'
import { Input } from './ui/input.tsx'
import { Label } from './ui/label.tsx'

/** Shows a new token's secret, the one time it is available. Closing it forgets the secret. */
export function ApiTokenSecretDialog({
  created,
  onClose,
}: {
  created: ApiTokenCreated | null
  onClose: () => void
}) {
  const { t } = useTranslation()
  const inputId = useId()
  const inputRef = useRef<HTMLInputElement>(null)
  const { copied, copy } = useCopyToClipboard()

  const onCopy = async () => {
    if (!created) return
    if (await copy(created.secret, inputRef.current))
      toast.success(t('settings.tokens.copiedToast'))
    else toast.error(t('settings.tokens.copyFailed'))
  }

  return (
    <Dialog open={created !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        closeLabel={t('common.close')}
        // A stray click outside would lose the secret for good; closing takes Escape or a button.
        onInteractOutside={(event) => event.preventDefault()}
      >
        <DialogHeader>
          <DialogTitle>{t('settings.tokens.secretTitle')}</DialogTitle>
          <DialogDescription>{t('settings.tokens.secretDescription')}</DialogDescription>
        </DialogHeader>
        <Alert variant="warning">
          <TriangleAlert aria-hidden="true" />
          <p>{t('settings.tokens.secretWarning')}</p>
        </Alert>
        <div className="flex flex-col gap-2">
          <Label htmlFor={inputId}>{t('settings.tokens.secretLabel')}</Label>
          <div className="flex gap-2">
            <Input
              id={inputId}
              ref={inputRef}
              readOnly
              value={created?.secret ?? ''}
              className="font-mono"
              spellCheck={false}
              onFocus={(event) => event.currentTarget.select()}
            />
            <Button variant="outline" onClick={onCopy} aria-label={t('settings.tokens.copyLabel')}>
              {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
              <span className="hidden sm:inline">
                {copied ? t('settings.tokens.copied') : t('settings.tokens.copy')}
              </span>
            </Button>
          </div>
        </div>
        <DialogFooter>
          <Button onClick={onClose}>{t('settings.tokens.done')}</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
