import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useDocumentTitle } from '../hooks/use-document-title.ts'
import { LanguageSelect } from './language-select.tsx'
import { Logo } from './logo.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'

export interface AuthLayoutProps {
  title: string
  description?: string
  children: ReactNode
  footer?: ReactNode
}

/** The centred card that the sign-in and sign-up pages share. */
export function AuthLayout({ title, description, children, footer }: AuthLayoutProps) {
  const { t } = useTranslation()
  useDocumentTitle(title)
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center gap-6 px-4 py-10">
      <div className="flex items-center gap-2 text-lg font-semibold">
        <Logo />
        {t('app.name')}
      </div>
      <main className="w-full max-w-sm">
        <Card>
          <CardHeader>
            <CardTitle className="text-xl" as="h1">
              {title}
            </CardTitle>
            {description && <CardDescription>{description}</CardDescription>}
          </CardHeader>
          <CardContent className="flex flex-col gap-5">{children}</CardContent>
        </Card>
        {footer && <div className="mt-4 text-center text-sm text-muted-foreground">{footer}</div>}
      </main>
      <LanguageSelect />
    </div>
  )
}
