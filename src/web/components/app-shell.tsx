import {
  type LucideIcon,
  MessageSquare,
  ScrollText,
  Server,
  Settings,
  ShieldCheck,
} from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, NavLink, Outlet, useLocation } from 'react-router'
import { useServerEvents } from '../hooks/use-server-events.ts'
import { useSignedInUser } from '../hooks/use-signed-in-user.ts'
import { ElicitationDialog } from './elicitation-dialog.tsx'
import { Logo } from './logo.tsx'
import { PageErrorBoundary } from './page-error-boundary.tsx'
import { RoleBadge } from './role-badge.tsx'
import { SignOutButton } from './sign-out-button.tsx'
import { cn } from './ui/cn.ts'

const NAV_ITEMS = [
  { to: '/chat', label: 'nav.chat', icon: MessageSquare },
  { to: '/servers', label: 'nav.servers', icon: Server },
  { to: '/tool-calls', label: 'nav.toolCalls', icon: ScrollText },
  { to: '/settings', label: 'nav.settings', icon: Settings },
] as const satisfies ReadonlyArray<{ to: string; label: string; icon: LucideIcon }>

const ADMIN_ITEM = { to: '/admin', label: 'admin.nav', icon: ShieldCheck } as const

/**
 * The frame around every signed-in page: brand, main navigation, who is signed in. It also holds
 * what every page needs: the live server events and the dialog for servers' questions.
 */
export function AppShell() {
  useServerEvents()
  const { t } = useTranslation()
  const { user } = useSignedInUser()
  // The section (chat, servers, …): a page that failed is retried when you go elsewhere, while
  // moving within a section (one conversation to the next) keeps it mounted.
  const section = useLocation().pathname.split('/')[1] ?? ''
  // Only admins are offered the admin page (the API refuses everyone else anyway).
  const navItems = user.role === 'admin' ? [...NAV_ITEMS, ADMIN_ITEM] : NAV_ITEMS
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background shadow-md focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:px-3 focus:py-2"
      >
        {t('app.skipToContent')}
      </a>
      <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2 sm:px-6">
          <Link to="/chat" className="flex items-center gap-2 rounded-md font-semibold">
            <Logo />
            {t('app.name')}
          </Link>
          {/* Below md the nav takes its own scrollable row, so every link stays one tap away. */}
          <nav
            aria-label={t('nav.main')}
            className="order-last -mx-4 w-[calc(100%+2rem)] overflow-x-auto px-4 pb-1 md:order-none md:mx-0 md:w-auto md:px-0 md:pb-0"
          >
            <ul className="flex gap-1">
              {navItems.map(({ to, label, icon: Icon }) => (
                <li key={to}>
                  <NavLink
                    to={to}
                    className={({ isActive }) =>
                      cn(
                        'inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap transition-[color,background-color,border-color]',
                        isActive
                          ? 'bg-accent text-accent-foreground'
                          : 'text-muted-foreground hover:bg-accent hover:text-accent-foreground',
                      )
                    }
                  >
                    <Icon className="size-4" aria-hidden="true" />
                    {t(label)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="ml-auto flex min-w-0 items-center gap-2 sm:gap-3">
            {/* On phones the email is left to screen readers so the header keeps to one row. */}
            <span
              className="sr-only min-w-0 truncate text-sm text-muted-foreground sm:not-sr-only sm:max-w-64"
              title={t('nav.signedInAs', { email: user.email })}
            >
              {user.email}
            </span>
            <RoleBadge role={user.role} />
            <SignOutButton />
          </div>
        </div>
      </header>
      <main
        id="main"
        tabIndex={-1}
        className="mx-auto focus-visible:outline-none w-full max-w-6xl flex-1 px-4 py-8 sm:px-6"
      >
        <PageErrorBoundary key={section}>
          <Outlet />
        </PageErrorBoundary>
      </main>
      <ElicitationDialog />
    </div>
  )
}
