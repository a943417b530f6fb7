import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react'

export const THEMES = ['light', 'dark', 'system'] as const
export type Theme = (typeof THEMES)[number]

/** The same key public/theme.js reads before the first paint. */
const STORAGE_KEY = 'switchboard.theme'
const DARK_QUERY = '(prefers-color-scheme: dark)'

export function isTheme(value: unknown): value is Theme {
  return THEMES.some((theme) => theme === value)
}

function readStoredTheme(): Theme {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY)
    return isTheme(stored) ? stored : 'system'
  } catch {
    // Storage can throw (some private modes): the system's setting then decides.
    return 'system'
  }
}

function subscribeToSystem(onChange: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY)
  query.addEventListener('change', onChange)
  return () => query.removeEventListener('change', onChange)
}

const systemIsDark = () => window.matchMedia(DARK_QUERY).matches

interface ThemeState {
  /** What the user chose. */
  theme: Theme
  /** What is shown: the choice, with `system` resolved. */
  resolved: 'light' | 'dark'
  setTheme: (theme: Theme) => void
}

const ThemeContext = createContext<ThemeState | null>(null)

/**
 * The light, dark or system theme, remembered in this browser. public/theme.js has put the class
 * on <html> before the first paint; from then on this keeps it in step with the choice and, for
 * `system`, with the system's setting as it changes.
 */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const [theme, setThemeState] = useState(readStoredTheme)
  const dark = useSyncExternalStore(subscribeToSystem, systemIsDark)
  const resolved = theme === 'dark' || (theme === 'system' && dark) ? 'dark' : 'light'

  useEffect(() => {
    document.documentElement.classList.toggle('dark', resolved === 'dark')
  }, [resolved])

  // A choice made in another tab of this browser applies here too.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === STORAGE_KEY) setThemeState(readStoredTheme())
    }
    window.addEventListener('storage', onStorage)
    return () => window.removeEventListener('storage', onStorage)
  }, [])

  const value = useMemo<ThemeState>(
    () => ({
      theme,
      resolved,
      setTheme: (next) => {
        try {
          window.localStorage.setItem(STORAGE_KEY, next)
        } catch {
          // Not remembered, but still applied for this visit.
        }
        setThemeState(next)
      },
    }),
    [theme, resolved],
  )
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>
}

export function useTheme(): ThemeState {
  const state = useContext(ThemeContext)
  if (!state) throw new Error('useTheme() is only available inside <ThemeProvider>')
  return state
}
