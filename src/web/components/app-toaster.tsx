import { Toaster } from 'sonner'
import { useTheme } from './theme-provider.tsx'

/**
 * Toasts in the top-right corner, below the app header (its height is `--header-height` in
 * styles.css), so they never cover the header's menu or sign-out button; in the chosen theme.
 */
export function AppToaster() {
  const { resolved } = useTheme()
  const offset = { top: 'calc(var(--header-height) + 0.5rem)', right: '1rem', left: '1rem' }
  return (
    <Toaster
      position="top-right"
      theme={resolved}
      offset={offset}
      mobileOffset={offset}
      richColors
      closeButton
    />
  )
}
