// Puts the chosen theme on <html> before the first paint: the stylesheet picks the dark palette
// from the `dark` class, and setting it only once the app's bundle has run would show a light
// page first. A classic script from our origin, because the Content-Security-Policy allows no
// inline ones. The app (components/theme-provider.tsx) keeps the class current afterwards, with
// the same storage key and the same rule.
;(() => {
  let theme = 'system'
  try {
    theme = window.localStorage.getItem('switchboard.theme') || 'system'
  } catch {
    // Storage can be off (some private modes): follow the system.
  }
  const dark =
    theme === 'dark' ||
    (theme !== 'light' && window.matchMedia('(prefers-color-scheme: dark)').matches)
  document.documentElement.classList.toggle('dark', dark)
})()
