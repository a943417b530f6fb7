import { useEffect, useRef } from 'react'

type FocusHandler = ((event: Event) => void) | undefined

/**
 * Returns focus to whatever had it when a dialog opened. Radix hands focus back only to its own
 * `Trigger`; a dialog opened from code (a row's button, a server event, a form that succeeded)
 * would otherwise leave focus on <body> when it closes, and a keyboard user starts over at the
 * top. Spread the result on the Radix `Content` (mounted or not, the hook runs while its Root
 * does); the handlers a caller passes still run first.
 */
export function useReturnFocus(handlers: {
  onOpenAutoFocus?: FocusHandler
  onCloseAutoFocus?: FocusHandler
}): { onOpenAutoFocus: (event: Event) => void; onCloseAutoFocus: (event: Event) => void } {
  const opener = useRef<Element | null>(null)
  // A button that turns `pending` is disabled, and the browser moves focus off it to <body>: a
  // dialog that opens once the action succeeds finds nothing focused. The last element that had
  // focus is what the user acted on.
  const lastFocused = useRef<Element | null>(null)
  useEffect(() => {
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof Element) lastFocused.current = event.target
    }
    document.addEventListener('focusin', onFocusIn)
    return () => document.removeEventListener('focusin', onFocusIn)
  }, [])
  return {
    // Runs before focus moves into the dialog, so the active element is still the opener.
    onOpenAutoFocus: (event) => {
      const active = document.activeElement
      opener.current = active && active !== document.body ? active : lastFocused.current
      handlers.onOpenAutoFocus?.(event)
    },
    onCloseAutoFocus: (event) => {
      handlers.onCloseAutoFocus?.(event)
      const element = opener.current
      opener.current = null
      if (event.defaultPrevented) return
      // Gone (the deleted row that opened it) or nowhere: Radix does what it does by default.
      if (!(element instanceof HTMLElement) || !element.isConnected || element === document.body) {
        return
      }
      event.preventDefault()
      element.focus()
    },
  }
}
