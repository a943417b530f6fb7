import { Check, Copy } from 'lucide-react'
import { useId, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { useCopyToClipboard } from '../../hooks/use-copy-to-clipboard.ts'
import { Button } from '../ui/button.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '../ui/dialog.tsx'
import { Input } from '../ui/input.tsx'
import { Label } from '../ui/label.tsx'

export interface ShownLink {
  title: string
  description: string
  url: string
}

/** A one-time link for the admin to copy and pass on; it is not shown again once closed. */
export function LinkDialog({ link, onClose }: { link: ShownLink | null; onClose: () => void }) {
  const { t } = useTranslation()
  const inputId = useId()
  const inputRef = useRef<HTMLInputElement>(null)
  const { copied, copy } = useCopyToClipboard()

  const onCopy = async () => {
    if (!link) return
    if (await copy(link.url, inputRef.current)) toast.success(t('adminUsers.link.copiedToast'))
    else toast.error(t('adminUsers.link.copyFailed'))
  }

  return (
    <Dialog open={link !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        closeLabel={t('common.close')}
        // A stray click outside would lose the link for good.
        onInteractOutside={(event) => event.preventDefault()}
      >
        <DialogHeader>
          <DialogTitle>{link?.title}</DialogTitle>
          <DialogDescription>{link?.description}</DialogDescription>
        </DialogHeader>
        <div className="flex flex-col gap-2">
          <Label htmlFor={inputId}>{t('adminUsers.link.label')}</Label>
          <div className="flex gap-2">
            <Input
              id={inputId}
              ref={inputRef}
              readOnly
              value={link?.url ?? ''}
              className="font-mono text-xs"
              spellCheck={false}
              onFocus={(event) => event.currentTarget.select()}
            />
            <Button variant="outline" onClick={onCopy} aria-label={t('adminUsers.link.copyLabel')}>
              {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
              <span className="hidden sm:inline">
                {copied ? t('adminUsers.link.copied') : t('adminUsers.link.copy')}
              </span>
            </Button>
          </div>
        </div>
        <DialogFooter>
          <Button onClick={onClose}>{t('adminUsers.link.done')}</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
