/** Reads a server-sent event stream from a fetch Response, one parsed message at a time. */
export function readSse(res: Response) {
  if (!res.body) throw new Error('no body')
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  return {
    /** The next message whose event matches, or throws after timeoutMs. */
    async next(event: string, timeoutMs = 10_000): Promise<unknown> {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const end = buffer.indexOf('\n\n')
        if (end >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => !line.startsWith(':'))
              .map((line) => [
                line.slice(0, line.indexOf(':')),
                line.slice(line.indexOf(':') + 1).trim(),
              ]),
          )
          if (fields.event === event) return JSON.parse(fields.data ?? 'null')
          continue
        }
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`no "${event}" event within ${timeoutMs} ms`)
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`no "${event}" event within ${timeoutMs} ms`)), left),
          ),
        ])
        if (chunk.done) throw new Error('stream ended')
        buffer += chunk.value
      }
    },
    close: () => reader.cancel(),
  }
}
