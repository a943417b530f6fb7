import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { ConversationUpdate } from '../../shared/chat.ts'
import type { Preset } from '../../shared/presets.ts'
import { chatQueries, startDraftConversation, useUpdateConversation } from './chat.ts'
import { recordDraftChanges, startDraftWith } from './draft-settings.ts'

/** A new draft that starts with the preset's model, instructions and servers; returns its id. */
export function startDraftFromPreset(preset: Preset): string {
  const id = startDraftConversation()
  startDraftWith(id, preset)
  return id
}

/**
 * Saves a conversation's model, instructions or servers: on the server, or, for a draft it does
 * not have yet, in the tab until the first message (which carries them as `start`).
 */
export function useSaveConversationSettings() {
  const queryClient = useQueryClient()
  const update = useUpdateConversation()
  return useMutation({
    mutationFn: async ({
      id,
      changes,
      draft = false,
    }: {
      id: string
      changes: Pick<ConversationUpdate, 'model' | 'instructions' | 'serverIds'>
      draft?: boolean
    }): Promise<{ kept: 'stored' | 'draft' }> => {
      if (!draft) {
        await update.mutateAsync({ id, changes })
        return { kept: 'stored' }
      }
      recordDraftChanges(id, changes)
      queryClient.setQueryData(
        chatQueries.detail(id).queryKey,
        (detail) => detail && { ...detail, ...changes },
      )
      return { kept: 'draft' }
    },
  })
}
