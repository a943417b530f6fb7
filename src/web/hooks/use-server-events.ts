import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { AppEventSchema } from '../../shared/events.ts'
import { serverQueries } from '../api/mcp-servers.ts'

/**
 * Keeps server status and tool lists live: listens to `GET /api/events` and refetches the server
 * queries when the server reports a status or tool change. EventSource reconnects by itself.
 */
export function useServerEvents(): void {
  const queryClient = useQueryClient()
  useEffect(() => {
    const source = new EventSource('/api/events')
    const refresh = (message: MessageEvent<string>) => {
      const parsed = AppEventSchema.safeParse(JSON.parse(message.data))
      if (!parsed.success) return
      void queryClient.invalidateQueries({ queryKey: serverQueries.all() })
    }
    source.addEventListener('server.status', refresh)
    source.addEventListener('server.tools', refresh)
    return () => source.close()
  }, [queryClient])
}
