import { ArrowDown } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Button } from './ui/button.tsx'

/**
 * "Jump to the latest": shown while the reader has scrolled up from the newest message, over the
 * top edge of the composer (its parent must be positioned, as the sticky composer bar is).
 */
export function ChatJumpToLatest({ visible, onJump }: { visible: boolean; onJump: () => void }) {
  const { t } = useTranslation()
  if (!visible) return null
  return (
    <div className="pointer-events-none absolute inset-x-0 -top-12 flex justify-center">
      <Button
        variant="outline"
        size="sm"
        onClick={onJump}
        className="pointer-events-auto rounded-full bg-background shadow-md"
      >
        <ArrowDown aria-hidden="true" />
        {t('chat.scroll.latest')}
      </Button>
    </div>
  )
}
