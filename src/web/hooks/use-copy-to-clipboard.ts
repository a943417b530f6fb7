import { useEffect, useState } from 'react'

const COPIED_FOR_MS = 2000

/**
 * Copies text and reports `copied` for a moment. `fallbackInput` is an input holding the same
 * text: `navigator.clipboard` exists only in secure contexts, and a self-hosted instance is often
 * reached over plain http on a LAN, where selecting the input and running the copy command is the
 * only way left.
 */
export function useCopyToClipboard(): {
  copied: boolean
  copy: (
    text: string,
    fallbackInput?: HTMLInputElement | HTMLTextAreaElement | null,
  ) => Promise<boolean>
} {
  const [copied, setCopied] = useState(false)

  useEffect(() => {
    if (!copied) return
    const timer = window.setTimeout(() => setCopied(false), COPIED_FOR_MS)
    return () => window.clearTimeout(timer)
  }, [copied])

  const copy = async (
    text: string,
    fallbackInput?: HTMLInputElement | HTMLTextAreaElement | null,
  ) => {
    const ok = await writeText(text, fallbackInput)
    setCopied(ok)
    return ok
  }
  return { copied, copy }
}

async function writeText(
  text: string,
  fallbackInput?: HTMLInputElement | HTMLTextAreaElement | null,
): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text)
      return true
    } catch {
      // Permission denied or document not focused: try the fallback below.
    }
  }
  if (!fallbackInput) return false
  fallbackInput.focus()
  fallbackInput.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  }
}
