import type { Locator, Page } from 'playwright-core'

/** A file as a test hands it to the page. */
export interface TestFile {
  name: string
  mimeType: string
  buffer: Buffer
}

/** Files in the chat: the composer's paperclip, paste and drop, and the files of sent messages. */
export class ChatAttachments {
  constructor(private readonly page: Page) {}

  composerForm(): Locator {
    return this.page.getByRole('form', { name: 'Write a message' })
  }

  attachButton(): Locator {
    return this.page.getByRole('button', { name: 'Attach files', exact: true })
  }

  /** Picks files with the paperclip, through the browser's file chooser. */
  async pick(files: TestFile[]): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser')
    await this.attachButton().click()
    await (await chooser).setFiles(files)
  }

  /** Pastes files into the message box, as a screenshot tool or a file manager does. */
  async paste(files: TestFile[]): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Message', exact: true }).evaluate(
      (box, list) => {
        const data = new DataTransfer()
        for (const file of list) {
          data.items.add(
            new File([Uint8Array.from(file.bytes)], file.name, { type: file.mimeType }),
          )
        }
        box.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        )
      },
      files.map((file) => ({ name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] })),
    )
  }

  /** Drops files on the composer, as dragging them from the desktop does. */
  async drop(files: TestFile[]): Promise<void> {
    const data = await this.page.evaluateHandle(
      (list) => {
        const transfer = new DataTransfer()
        for (const file of list) {
          transfer.items.add(
            new File([Uint8Array.from(file.bytes)], file.name, { type: file.mimeType }),
          )
        }
        return transfer
      },
      files.map((file) => ({ name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] })),
    )
    const form = this.composerForm()
    await form.dispatchEvent('dragenter', { dataTransfer: data })
    await form.dispatchEvent('dragover', { dataTransfer: data })
    await form.dispatchEvent('drop', { dataTransfer: data })
  }

  /** The files of the message being written. */
  pending(): Locator {
    return this.page.getByRole('list', { name: 'Files to send' }).getByRole('listitem')
  }

  pendingReady(): Locator {
    return this.page.locator('[data-attachment="ready"]')
  }

  removeButton(name: string): Locator {
    return this.page.getByRole('button', { name: `Remove ${name}`, exact: true })
  }

  /** The files of sent messages, images and others. */
  sentImages(): Locator {
    return this.page.getByRole('link', { name: /^Open the image / })
  }

  sentImage(name: string): Locator {
    return this.page.getByRole('link', { name: `Open the image ${name} in a new tab` })
  }

  sentFile(name: string): Locator {
    return this.page.getByRole('link', { name: `Download ${name}`, exact: true })
  }
}
