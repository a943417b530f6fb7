import { useRef, useState } from 'react'
import type { McpPromptMatch, McpPromptResult, PromptPartData } from '../../shared/mcp-prompts.ts'
import { getPrompt } from '../api/mcp-servers.ts'
import type { ComposerPromptState } from '../components/chat-prompt.tsx'

export interface ComposerPrompt {
  /** The prompt the message starts with, or null. */
  prompt: ComposerPromptState | null
  /** A prompt picked whose arguments are asked for. */
  asking: McpPromptMatch | null
  /** A prompt picked with `/`: filled in at once, or its arguments asked for first. */
  choose: (match: McpPromptMatch) => void
  /** The asked-for arguments: resolves once filled in, rejects with the server's refusal. */
  fillAsked: (args: Record<string, string>) => Promise<void>
  cancelAsking: () => void
  remove: () => void
  /** The message's `data-prompt` part, once the prompt is filled in. */
  part: () => PromptPartData | null
}

/** The prompt a message being written starts with (the composer's `/`). */
export function useComposerPrompt(): ComposerPrompt {
  const [prompt, setPrompt] = useState<ComposerPromptState | null>(null)
  const [asking, setAsking] = useState<McpPromptMatch | null>(null)
  // A prompt taken off (or replaced) while it loads must not come back when its answer does.
  const latest = useRef(0)

  const request = (match: McpPromptMatch, args: Record<string, string>) =>
    getPrompt({ serverId: match.serverId, name: match.name, arguments: args })

  return {
    prompt,
    asking,
    choose: (match) => {
      if (match.arguments.length > 0) {
        setAsking(match)
        return
      }
      const attempt = ++latest.current
      setPrompt({ status: 'loading', match })
      request(match, {}).then(
        (result) => {
          if (attempt === latest.current)
            setPrompt({ status: 'ready', match, data: toData(result) })
        },
        (error: unknown) => {
          if (attempt === latest.current) setPrompt({ status: 'failed', match, error })
        },
      )
    },
    fillAsked: async (args) => {
      if (!asking) return
      const result = await request(asking, args)
      latest.current += 1
      setPrompt({ status: 'ready', match: asking, data: toData(result) })
      setAsking(null)
    },
    cancelAsking: () => setAsking(null),
    remove: () => {
      latest.current += 1
      setPrompt(null)
    },
    part: () => (prompt?.status === 'ready' ? prompt.data : null),
  }
}

function toData(result: McpPromptResult): PromptPartData {
  return {
    serverId: result.serverId,
    server: result.serverName,
    name: result.name,
    title: result.title,
    arguments: result.arguments,
    text: result.text,
  }
}
