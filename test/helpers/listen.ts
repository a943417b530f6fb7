import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { createApp } from '../../src/server/app.ts'

export interface Listening {
  url: string
  close(): Promise<void>
}

/** Serves the app on 127.0.0.1 and the port given (default: a free one) (the SDK's test/helpers/http.ts pattern). */
export function listen(app: ReturnType<typeof createApp>, port = 0): Promise<Listening> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done())
            // keep-alive sockets from the browser would hold close() open
            ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
          }),
      })
    })
  })
}
