import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { migrateDown, migrateToLatest } from '../../../src/server/db/migrator.ts'
import type { Attachment } from '../../../src/shared/attachments.ts'
import { pdfDocument, pngImage } from '../../fixtures/attachments/files.ts'
import {
  type ChatCompletionMessage,
  type FakeOpenRouter,
  startFakeOpenRouter,
  text,
} from '../../fixtures/llm/fake-openrouter.ts'
import { listTables, snapshotSchema } from '../../helpers/schema-snapshot.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'
import { openTestDatabase } from '../../helpers/test-db.ts'
import {
  createConversation,
  postStream,
  storedMessages,
  type TestUIMessage,
} from './chat-test-kit.ts'

// Files attached to chat messages (issue 11, item 3): uploaded first, stored in the database,
// served to their owner only, and read by the model as images or text.

const LLAMA = 'meta-llama/llama-3.1-8b-instruct' // the fake catalogue says: text only
const CAPS = {
  maxImageBytes: 64 * 1024,
  maxTextBytes: 4096,
  maxPdfBytes: 64 * 1024,
  maxTextChars: 2000,
}

let t: TestApp
let fake: FakeOpenRouter
beforeAll(async () => {
  fake = await startFakeOpenRouter()
  const { chat } = testConfig({
    OPENROUTER_API_KEY: 'sk-or-test-key',
    OPENROUTER_BASE_URL: fake.baseUrl,
  })
  t = await startApp({ config: { chat: { ...chat, attachments: CAPS } } })
}, 60_000)
afterAll(async () => {
  await t?.close()
  await fake?.close()
})
beforeEach(() => fake.reset())

async function upload(
  cookie: string,
  file: { name: string; type?: string; bytes: Uint8Array | string },
): Promise<Response> {
  const form = new FormData()
  const bytes = typeof file.bytes === 'string' ? Buffer.from(file.bytes) : Buffer.from(file.bytes)
  form.append('file', new File([bytes], file.name, { type: file.type ?? '' }))
  return t.app.request('/api/user/attachments', { method: 'POST', body: form, headers: { cookie } })
}

async function uploaded(cookie: string, file: Parameters<typeof upload>[1]): Promise<Attachment> {
  const res = await upload(cookie, file)
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json()) as Attachment
}

/** PNG bytes padded to `size` (the checks read the signature; nobody decodes it). */
function pngOfSize(size: number): Buffer {
  const png = pngImage(2, 2)
  return Buffer.concat([png, randomBytes(size - png.length)])
}

function filePart(attachment: Attachment) {
  return {
    type: 'file',
    mediaType: attachment.mediaType,
    filename: attachment.filename,
    url: attachment.url,
  }
}

function message(words: string, files: Attachment[] = []): TestUIMessage {
  return {
    id: `user-${crypto.randomUUID()}`,
    role: 'user',
    parts: [...files.map(filePart), { type: 'text', text: words }] as TestUIMessage['parts'],
  }
}

/** The content parts of the last user message the fake model received. */
function lastUserContent(
  index = fake.requests.length - 1,
): { type: string; [key: string]: unknown }[] {
  const messages = fake.requests[index]?.body.messages ?? []
  const user = messages.filter((m: ChatCompletionMessage) => m.role === 'user').at(-1)
  const content = user?.content
  return typeof content === 'string'
    ? [{ type: 'text', text: content }]
    : ((content ?? []) as never)
}

async function errorOf(
  res: Response,
): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error
}

describe('POST /api/user/attachments', () => {
  it('stores a PNG as an image, checked by its bytes, and serves it back to its owner', async () => {
    const user = await registerUser(t)
    const png = pngImage(8, 8)
    // The browser's type is only a hint: the bytes say PNG.
    const attachment = await uploaded(user.cookie, {
      name: 'C:\\photos\\chart.png',
      type: 'application/octet-stream',
      bytes: png,
    })
    expect(attachment).toMatchObject({
      filename: 'chart.png',
      mediaType: 'image/png',
      kind: 'image',
      size: png.length,
    })
    expect(attachment.url).toBe(`/api/user/attachments/${attachment.id}`)

    const res = await t.request(attachment.url, { cookie: user.cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="chart.png"/)
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/)
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true)
  })

  it('stores a text file as text and serves it as plain text to download', async () => {
    const user = await registerUser(t)
    const attachment = await uploaded(user.cookie, {
      name: 'notes.md',
      bytes: '# Plan\n\n- ship it\n',
    })
    expect(attachment).toMatchObject({ kind: 'text', mediaType: 'text/markdown', size: 18 })
    const res = await t.request(attachment.url, { cookie: user.cookie })
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="notes.md"/)
    expect(await res.text()).toBe('# Plan\n\n- ship it\n')
  })

  it('stores a PDF, served as a download', async () => {
    const user = await registerUser(t)
    const pdf = pdfDocument(['Quarterly figures', 'Second page'])
    const attachment = await uploaded(user.cookie, {
      name: 'report.pdf',
      type: 'application/pdf',
      bytes: pdf,
    })
    expect(attachment).toMatchObject({
      kind: 'pdf',
      mediaType: 'application/pdf',
      size: pdf.length,
    })
    const res = await t.request(attachment.url, { cookie: user.cookie })
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/)
  })

  it('refuses SVG, and serves HTML only as inert plain text', async () => {
    const user = await registerUser(t)
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    const refused = await upload(user.cookie, {
      name: 'logo.svg',
      type: 'image/svg+xml',
      bytes: svg,
    })
    expect(refused.status).toBe(415)
    expect(await errorOf(refused)).toMatchObject({
      code: 'unsupported_media_type',
      details: { reason: 'svg' },
    })

    const html = await uploaded(user.cookie, {
      name: 'page.html',
      type: 'text/html',
      bytes: '<script>alert(1)</script>',
    })
    expect(html).toMatchObject({ kind: 'text', mediaType: 'text/html' })
    const res = await t.request(html.url, { cookie: user.cookie })
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/)
    expect(res.headers.get('content-security-policy')).toContain('sandbox')
  })

  it('refuses a file whose bytes are not what its type says, and binary files', async () => {
    const user = await registerUser(t)
    const fakeImage = await upload(user.cookie, {
      name: 'cat.png',
      type: 'image/png',
      bytes: 'not a picture at all',
    })
    expect(fakeImage.status).toBe(415)
    expect(await errorOf(fakeImage)).toMatchObject({
      code: 'unsupported_media_type',
      details: { reason: 'not_an_image' },
    })

    const fakePdf = await upload(user.cookie, {
      name: 'r.pdf',
      type: 'application/pdf',
      bytes: 'plain words',
    })
    expect((await errorOf(fakePdf)).details).toEqual({ reason: 'not_a_pdf' })

    const binary = await upload(user.cookie, {
      name: 'a.bin',
      bytes: new Uint8Array([0, 1, 2, 0xff, 0xfe, 0]),
    })
    expect(binary.status).toBe(415)
    expect((await errorOf(binary)).details).toEqual({ reason: 'binary' })

    const empty = await upload(user.cookie, { name: 'e.txt', bytes: '' })
    expect((await errorOf(empty)).details).toEqual({ reason: 'empty' })
  })

  it('refuses a file over the cap of its kind with 413 saying how large it may be', async () => {
    const user = await registerUser(t)
    const res = await upload(user.cookie, {
      name: 'big.txt',
      bytes: 'x'.repeat(CAPS.maxTextBytes + 1),
    })
    expect(res.status).toBe(413)
    const error = await errorOf(res)
    expect(error).toMatchObject({
      code: 'payload_too_large',
      details: { kind: 'text', maxBytes: CAPS.maxTextBytes, size: CAPS.maxTextBytes + 1 },
    })
    expect(error.message).toMatch(/a text file can be at most 4 KB/)

    // Larger than any kind may be: refused at the edge, before the body is read.
    const huge = await upload(user.cookie, { name: 'huge.png', bytes: pngOfSize(200 * 1024) })
    expect(huge.status).toBe(413)
    // An image larger than a text file may be passes: each kind has its own cap.
    const image = await upload(user.cookie, { name: 'ok.png', bytes: pngOfSize(10 * 1024) })
    expect(image.status).toBe(201)
  })

  it('refuses a PDF without text, and one that is damaged', async () => {
    const user = await registerUser(t)
    const blank = await upload(user.cookie, { name: 'scan.pdf', bytes: pdfDocument(['']) })
    expect(blank.status).toBe(415)
    expect((await errorOf(blank)).details).toEqual({ reason: 'pdf_without_text' })
    const broken = await upload(user.cookie, {
      name: 'broken.pdf',
      bytes: '%PDF-1.4\nthis is not a pdf body',
    })
    expect(broken.status).toBe(415)
    expect((await errorOf(broken)).details).toEqual({ reason: 'pdf_unreadable' })
  })
})

describe("another user's attachment", () => {
  it('is not found: not served, not deleted, not sent, and the draft is not created', async () => {
    const owner = await registerUser(t)
    const other = await registerUser(t)
    const attachment = await uploaded(owner.cookie, { name: 'secret.txt', bytes: 'the owner only' })
    expect((await t.request(attachment.url, { cookie: other.cookie })).status).toBe(404)
    expect(
      (await t.request(attachment.url, { method: 'DELETE', cookie: other.cookie })).status,
    ).toBe(404)

    const draftId = crypto.randomUUID()
    const { res } = await postStream(t, other.cookie, {
      conversationId: draftId,
      message: message('read it', [attachment]),
    })
    expect(res.status).toBe(404)
    expect((await errorOf(res)).code).toBe('not_found')
    expect(fake.requests).toHaveLength(0)
    // A refused first message leaves no conversation behind.
    expect(
      (await t.request(`/api/conversations/${draftId}`, { cookie: other.cookie })).status,
    ).toBe(404)

    // Still the owner's, and still usable by the owner.
    expect((await t.request(attachment.url, { cookie: owner.cookie })).status).toBe(200)
  })

  it('is not found in an existing conversation either, and a file part must name an upload', async () => {
    const owner = await registerUser(t)
    const other = await registerUser(t)
    const attachment = await uploaded(owner.cookie, { name: 'secret.txt', bytes: 'the owner only' })
    const conversationId = await createConversation(t, other.cookie)
    const { res } = await postStream(t, other.cookie, {
      conversationId,
      message: message('read it', [attachment]),
    })
    expect(res.status).toBe(404)

    const dataUrl = {
      ...message('inline'),
      parts: [{ type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,AAAA' }],
    }
    const inline = await postStream(t, other.cookie, { conversationId, message: dataUrl })
    expect(inline.res.status).toBe(400)
    expect((await errorOf(inline.res)).message).toMatch(/upload the file first/)
    expect(fake.requests).toHaveLength(0)
  })
})

describe('attachments in chat', () => {
  it('sends an image to the model as an image_url part and a text file as text, and keeps both', async () => {
    const user = await registerUser(t)
    const png = pngImage(4, 4)
    const image = await uploaded(user.cookie, { name: 'chart.png', type: 'image/png', bytes: png })
    const notes = await uploaded(user.cookie, { name: 'notes.md', bytes: '# Plan\nship on Friday' })
    const conversationId = crypto.randomUUID() // a draft: created by this first message
    fake.enqueue(text('I see a gradient.'))
    const { res } = await postStream(t, user.cookie, {
      conversationId,
      message: message('What is in these?', [image, notes]),
    })
    expect(res.status).toBe(200)
    expect(fake.requests).toHaveLength(1)
    const content = lastUserContent()
    expect(content).toContainEqual({
      type: 'image_url',
      image_url: { url: `data:image/png;base64,${png.toString('base64')}` },
    })
    const texts = content.filter((part) => part.type === 'text').map((part) => part.text)
    expect(texts).toContain(
      '<attachment name="notes.md" type="text/markdown">\n# Plan\nship on Friday\n</attachment>',
    )
    expect(texts).toContain('What is in these?')

    // After a reload: the message still names both files, and they are still served.
    const [question] = await storedMessages(t, user.cookie, conversationId)
    expect(question?.parts).toEqual([
      { type: 'file', mediaType: 'image/png', filename: 'chart.png', url: image.url },
      { type: 'file', mediaType: 'text/markdown', filename: 'notes.md', url: notes.url },
      { type: 'text', text: 'What is in these?' },
    ])
    expect((await t.request(image.url, { cookie: user.cookie })).status).toBe(200)
    // Sent files belong to the conversation now: they cannot be deleted on their own.
    expect((await t.request(notes.url, { method: 'DELETE', cookie: user.cookie })).status).toBe(404)
  })

  it("sends a PDF's text, and cuts long text at the cap with a note", async () => {
    const user = await registerUser(t)
    const pdf = await uploaded(user.cookie, {
      name: 'report.pdf',
      bytes: pdfDocument(['Revenue rose 12 percent', 'Costs fell']),
    })
    const long = await uploaded(user.cookie, { name: 'long.txt', bytes: 'abcd'.repeat(1000) })
    const conversationId = await createConversation(t, user.cookie)
    fake.enqueue(text('Noted.'))
    const { res } = await postStream(t, user.cookie, {
      conversationId,
      message: message('Summarise', [pdf, long]),
    })
    expect(res.status).toBe(200)
    const texts = lastUserContent()
      .filter((part) => part.type === 'text')
      .map((part) => String(part.text))
    const pdfText = texts.find((x) => x.includes('name="report.pdf"'))
    expect(pdfText).toMatch(/\[page 1\]\nRevenue rose 12 percent/)
    expect(pdfText).toMatch(/\[page 2\]\nCosts fell/)
    const longText = texts.find((x) => x.includes('name="long.txt"')) ?? ''
    expect(longText).toContain('abcd'.repeat(500))
    expect(longText).not.toContain('abcd'.repeat(501))
    expect(longText).toContain(
      '[The file is cut here: it has 4000 characters, the first 2000 are shown.]',
    )
  })

  it('refuses an image for a model that reads no images, before asking the provider', async () => {
    const user = await registerUser(t)
    const image = await uploaded(user.cookie, { name: 'photo.png', bytes: pngImage(4, 4) })
    const conversationId = crypto.randomUUID()
    const { res } = await postStream(t, user.cookie, {
      conversationId,
      model: LLAMA,
      message: message('Describe it', [image]),
    })
    expect(res.status).toBe(400)
    const error = await errorOf(res)
    expect(error.code).toBe('images_not_supported')
    expect(error.message).toMatch(/cannot read images/)
    expect(fake.requests).toHaveLength(0)
    expect(
      (await t.request(`/api/conversations/${conversationId}`, { cookie: user.cookie })).status,
    ).toBe(404)

    // The same file with a model that reads images goes through.
    fake.enqueue(text('A gradient.'))
    const ok = await postStream(t, user.cookie, {
      conversationId,
      message: message('Describe it', [image]),
    })
    expect(ok.res.status).toBe(200)
    expect(lastUserContent().some((part) => part.type === 'image_url')).toBe(true)

    // Answering it again with the text-only model is refused too; a text file is fine for it.
    const [question, answer] = await storedMessages(t, user.cookie, conversationId)
    const again = await postStream(t, user.cookie, {
      conversationId,
      regenerate: answer?.id,
      model: LLAMA,
    })
    expect(again.res.status).toBe(400)
    expect((await errorOf(again.res)).code).toBe('images_not_supported')
    expect(fake.requests).toHaveLength(1)
    expect(question?.role).toBe('user')
  })

  it('answers again and edits with the files of the question', async () => {
    const user = await registerUser(t)
    const png = pngImage(4, 4)
    const image = await uploaded(user.cookie, { name: 'photo.png', bytes: png })
    const conversationId = crypto.randomUUID()
    fake.enqueue(text('first'), text('second'), text('third'))
    const first = message('What is this?', [image])
    await postStream(t, user.cookie, { conversationId, message: first })
    const [, answer] = await storedMessages(t, user.cookie, conversationId)

    await postStream(t, user.cookie, { conversationId, regenerate: answer?.id })
    expect(lastUserContent()).toContainEqual({
      type: 'image_url',
      image_url: { url: `data:image/png;base64,${png.toString('base64')}` },
    })

    // An edit sends the new words with the same file, beside the first version.
    const edited = message('What colours are these?', [image])
    const { res } = await postStream(t, user.cookie, {
      conversationId,
      message: edited,
      parentId: null,
    })
    expect(res.status).toBe(200)
    const content = lastUserContent()
    expect(content.some((part) => part.type === 'image_url')).toBe(true)
    expect(content).toContainEqual({ type: 'text', text: 'What colours are these?' })
    expect(fake.requests).toHaveLength(3)
  })

  it('refuses a file sent in another conversation of the same user', async () => {
    const user = await registerUser(t)
    const notes = await uploaded(user.cookie, { name: 'notes.txt', bytes: 'one conversation only' })
    fake.enqueue(text('ok'))
    await postStream(t, user.cookie, {
      conversationId: crypto.randomUUID(),
      message: message('read', [notes]),
    })
    const elsewhere = await postStream(t, user.cookie, {
      conversationId: await createConversation(t, user.cookie),
      message: message('read again', [notes]),
    })
    expect(elsewhere.res.status).toBe(404)
    expect(fake.requests).toHaveLength(1)
  })
})

describe('migration 0007', () => {
  it('adds the attachments table, and takes it away again on the way down', async () => {
    const database = await openTestDatabase()
    try {
      await migrateToLatest(database.db)
      expect(await listTables(database.db)).toContain('attachments')
      const schema = (await snapshotSchema(database.db)).join('\n')
      expect(schema).toContain('attachments.content bytea null=NO')
      await migrateDown(database.db, '0006-models-presets')
      expect(await listTables(database.db)).not.toContain('attachments')
      await migrateToLatest(database.db)
      expect(await listTables(database.db)).toContain('attachments')
    } finally {
      await database.close()
    }
  })
})
