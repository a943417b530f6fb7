import { useQuery } from '@tanstack/react-query'
import { Layers, Settings } from 'lucide-react'
import { DropdownMenu } from 'radix-ui'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { Preset } from '../../shared/presets.ts'
import { presetQueries } from '../api/presets.ts'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'

const ITEM_CLASSES =
  'flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm outline-none select-none data-[highlighted]:bg-accent data-[highlighted]:text-accent-foreground [&_svg]:size-4 [&_svg]:shrink-0'

/**
 * "New conversation from preset": the user's presets, each starting a conversation with its
 * model, instructions and servers. Nothing is shown until the user has a preset.
 */
export function ChatPresetMenu({
  onStart,
  disabled,
  className,
}: {
  onStart: (preset: Preset) => void
  disabled?: boolean
  className?: string
}) {
  const { t } = useTranslation()
  const presets = useQuery(presetQueries.list())
  if (!presets.data?.length) return null
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button
          variant="outline"
          size="icon"
          disabled={disabled}
          aria-label={t('models.presets.startFrom')}
          title={t('models.presets.startFrom')}
          className={cn('shrink-0', className)}
        >
          <Layers aria-hidden="true" />
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          collisionPadding={16}
          className="z-50 flex max-h-[60dvh] min-w-56 max-w-[calc(100vw-2rem)] flex-col overflow-y-auto rounded-lg border bg-card p-1 text-card-foreground shadow-lg"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-xs font-medium text-muted-foreground">
            {t('models.presets.startFrom')}
          </DropdownMenu.Label>
          {presets.data.map((preset) => (
            <DropdownMenu.Item
              key={preset.id}
              className={ITEM_CLASSES}
              onSelect={() => onStart(preset)}
            >
              <span className="min-w-0 truncate">{preset.name}</span>
            </DropdownMenu.Item>
          ))}
          <DropdownMenu.Separator className="my-1 h-px bg-border" />
          <DropdownMenu.Item asChild className={ITEM_CLASSES}>
            <Link to="/settings#presets">
              <Settings aria-hidden="true" />
              {t('models.presets.manage')}
            </Link>
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  )
}
