import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'

/** Sets the tab title to "<title> · Switchboard", so history and screen readers name the page. */
export function useDocumentTitle(title: string): void {
  const { t } = useTranslation()
  const appName = t('app.name')
  useEffect(() => {
    document.title = `${title} · ${appName}`
  }, [title, appName])
}
