import { ScrollText } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { Conversation } from '../../shared/chat.ts'
import { INSTRUCTIONS_MAX } from '../../shared/presets.ts'
import { ApiError } from '../api/client.ts'
import { useSaveConversationSettings } from '../api/conversation-settings.ts'
import { ErrorAlert } from './error-alert.tsx'
import { InstructionsField } from './instructions-field.tsx'
import { ServerChoice } from './server-choice.tsx'
import { Button } from './ui/button.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from './ui/dialog.tsx'

/** What a conversation keeps besides its messages and model. */
export interface ConversationSettings {
  instructions: string | null
  serverIds: string[] | null
}

/**
 * The conversation's instructions (a system prompt of the user's) and the servers whose tools
 * it offers: a button in the thread's header that says whether any are set, and their dialog.
 * Saved with the conversation, or, for a draft, in the tab until its first message.
 */
export function ChatInstructions({
  conversation,
  disabled,
  draft = false,
}: {
  conversation: Pick<Conversation, 'id'> & ConversationSettings
  disabled?: boolean
  /** Not stored yet: the settings wait in the tab for the first message. */
  draft?: boolean
}) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const update = useSaveConversationSettings()
  const active = Boolean(conversation.instructions) || conversation.serverIds !== null
  const save = (settings: ConversationSettings) => {
    update.mutate(
      { id: conversation.id, changes: settings, draft },
      {
        onSuccess: () => {
          setOpen(false)
          toast.success(t('models.instructions.saved'))
        },
      },
    )
  }
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        disabled={disabled}
        onClick={() => {
          update.reset()
          setOpen(true)
        }}
        aria-label={t(active ? 'models.instructions.buttonActive' : 'models.instructions.button')}
        title={t(active ? 'models.instructions.buttonActive' : 'models.instructions.button')}
        data-active={active || undefined}
      >
        <ScrollText aria-hidden="true" />
        <span className="hidden sm:inline">{t('models.instructions.short')}</span>
        {active && <span className="size-1.5 rounded-full bg-primary" aria-hidden="true" />}
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent
          closeLabel={t('common.close')}
          className="sm:max-w-xl"
          onInteractOutside={(event) => event.preventDefault()}
        >
          <DialogHeader>
            <DialogTitle>{t('models.instructions.title')}</DialogTitle>
            <DialogDescription>{t('models.instructions.description')}</DialogDescription>
          </DialogHeader>
          <SettingsForm
            key={String(open)}
            initial={conversation}
            pending={update.isPending}
            error={update.error}
            onCancel={() => setOpen(false)}
            onSave={save}
          />
        </DialogContent>
      </Dialog>
    </>
  )
}

function SettingsForm({
  initial,
  pending,
  error,
  onCancel,
  onSave,
}: {
  initial: ConversationSettings
  pending: boolean
  error: unknown
  onCancel: () => void
  onSave: (settings: ConversationSettings) => void
}) {
  const { t } = useTranslation()
  const [instructions, setInstructions] = useState(initial.instructions ?? '')
  const [serverIds, setServerIds] = useState(initial.serverIds)
  const fieldErrors = error instanceof ApiError ? error.fieldErrors(t) : {}
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (instructions.length > INSTRUCTIONS_MAX) return
    onSave({ instructions: instructions.trim() ? instructions : null, serverIds })
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-5" noValidate>
      <InstructionsField
        value={instructions}
        onChange={setInstructions}
        error={fieldErrors.instructions}
      />
      <ServerChoice value={serverIds} onChange={setServerIds} />
      <ErrorAlert error={error} />
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" pending={pending}>
          {t('models.instructions.save')}
        </Button>
      </DialogFooter>
    </form>
  )
}
