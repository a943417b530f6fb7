import { SEARCH_TOOLS_NAME } from '../../shared/chat.ts'

/**
 * The system prompt: the operator's (from config, which already tells the model that tool
 * results are data, not instructions), and how to reach the tools when they are not all listed.
 */
export function systemPrompt(input: {
  base: string
  mode: 'all' | 'search'
  total: number
}): string {
  if (input.mode === 'all') return input.base
  return (
    `${input.base}\n\nThe user has connected ${input.total} tools, too many to list here. ` +
    `Call ${SEARCH_TOOLS_NAME} with a few keywords describing what you need; the tools it ` +
    'returns become available to call by name for the rest of this answer.'
  )
}
