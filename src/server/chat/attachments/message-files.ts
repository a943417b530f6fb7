import {
  ATTACHMENTS_PER_MESSAGE_MAX,
  attachmentIdOf,
  attachmentUrl,
  fileSourceMetadata,
} from '../../../shared/attachments.ts'
import { acceptsImages } from '../../../shared/models.ts'
import { linkAttachments, listAttachableAttachments } from '../../db/attachments.ts'
import type { Db } from '../../db/database.ts'
import { AppError, NotFoundError, ValidationError } from '../../errors.ts'
import { findModelOnOffer, type ModelOfferDeps } from '../model-offer.ts'
import type { ChatUIMessage, ChatUIPart } from '../ui-messages.ts'
import { type ModelInputDeps, modelInputOf, sourceOfRow } from './model-input.ts'

type FilePart = Extract<ChatUIPart, { type: 'file' }>

export const IMAGES_NOT_SUPPORTED_MESSAGE =
  'This model cannot read images: pick one marked with the image icon, or remove the image.'

/** The files of one chat request: checked before anything is stored, read for the model. */
export interface TurnFiles {
  /**
   * A question of this turn, checked: every `file` part names one of the user's attachments
   * (unsent, or of this conversation: 404 otherwise) and is rewritten from the stored row (its
   * name and type are the server's, not the client's); an image for a model that says it reads
   * none is refused (`images_not_supported`, 400) before any request to the provider. A new
   * message's files are tied to the conversation. `stored`: a question already stored, being
   * answered again (only the model check applies).
   */
  checkQuestion(question: ChatUIMessage, stored: boolean): Promise<ChatUIMessage>
  /**
   * The first message of a conversation not stored yet, checked as `checkQuestion` does but
   * tying nothing to it: a refused first message must leave no conversation behind.
   */
  checkFirst(message: ChatUIMessage): Promise<void>
  /** The messages as the model reads them: files in, as images or text (see `modelInputOf`). */
  forModel(messages: ChatUIMessage[]): Promise<ChatUIMessage[]>
}

/** Whether the model reads images is asked of the models on offer. */
export interface TurnFileDeps extends ModelOfferDeps, ModelInputDeps {
  db: Db
}

/** Whose conversation the files go to: its id (also of one not stored yet) and its owner. */
export interface FileOwner {
  userId: string
  conversationId: string
}

export function filesForTurn(
  deps: TurnFileDeps,
  input: FileOwner & { modelId: string },
): TurnFiles {
  const { modelId } = input
  const owner = { userId: input.userId, conversationId: input.conversationId }
  let readsImages: Promise<boolean> | undefined
  // Asked once, and only when there is an image: it may need the provider's catalogue.
  const modelReadsImages = () => {
    readsImages ??= findModelOnOffer(deps, modelId).then(
      // Unknown (an OpenAI-compatible endpoint lists ids only): send it, the provider answers.
      (model) => (model ? acceptsImages(model) !== false : true),
    )
    return readsImages
  }
  const check = async (question: ChatUIMessage, stored: boolean) => {
    const checked = stored ? question : await resolveFiles(deps, owner, question)
    if (hasImages([checked]) && !(await modelReadsImages())) {
      throw new AppError('images_not_supported', IMAGES_NOT_SUPPORTED_MESSAGE, {
        details: { model: modelId },
      })
    }
    return checked
  }
  return {
    async checkQuestion(question, stored) {
      const checked = await check(question, stored)
      if (!stored) await linkAttachments(deps.db, { ...owner, ids: attachmentIdsOf(checked) })
      return checked
    },
    async checkFirst(message) {
      await check(message, false)
    },
    async forModel(messages) {
      return modelInputOf(deps, {
        ...owner,
        messages,
        images: hasImages(messages) ? await modelReadsImages() : true,
      })
    },
  }
}

/** A new message's `file` parts, each resolved to the user's attachment it names. */
async function resolveFiles(
  deps: TurnFileDeps,
  owner: FileOwner,
  message: ChatUIMessage,
): Promise<ChatUIMessage> {
  const files = message.parts.filter((part): part is FilePart => part.type === 'file')
  if (files.length === 0) return message
  if (files.length > ATTACHMENTS_PER_MESSAGE_MAX) {
    throw new ValidationError([
      {
        field: 'message.parts',
        message: `at most ${ATTACHMENTS_PER_MESSAGE_MAX} files go with one message`,
      },
    ])
  }
  const ids = files.map((part, index) => {
    const id = attachmentIdOf(part.url)
    if (id === null) {
      throw new ValidationError([
        {
          field: `message.parts.${message.parts.indexOf(part)}.url`,
          message: `upload the file first (POST /api/user/attachments) and send its url (file ${index + 1})`,
        },
      ])
    }
    return id
  })
  const rows = await listAttachableAttachments(deps.db, { ...owner, ids })
  const byId = new Map(rows.map((row) => [row.id, row]))
  // Someone else's file, or one sent in another conversation, is simply not found (404, not 403).
  if (ids.some((id) => !byId.has(id))) throw new NotFoundError('attachment')
  return {
    ...message,
    parts: message.parts.map((part) => {
      if (part.type !== 'file') return part
      const row = byId.get(attachmentIdOf(part.url) as string)
      if (!row) return part
      const source = sourceOfRow(row)
      return {
        type: 'file',
        mediaType: row.media_type,
        filename: row.filename,
        url: attachmentUrl(row.id),
        ...(source ? { providerMetadata: fileSourceMetadata(source) } : {}),
      }
    }),
  }
}

function hasImages(messages: readonly ChatUIMessage[]): boolean {
  return messages.some((message) =>
    message.parts.some((part) => part.type === 'file' && part.mediaType.startsWith('image/')),
  )
}

export function attachmentIdsOf(message: ChatUIMessage): string[] {
  return message.parts.flatMap((part) => {
    const id = part.type === 'file' ? attachmentIdOf(part.url) : null
    return id ? [id] : []
  })
}
