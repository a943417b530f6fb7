import {
  type LucideIcon,
  Menu,
  MessageSquare,
  ScrollText,
  Server,
  Settings,
  ShieldCheck,
  XIcon,
} from 'lucide-react'
import { Dialog as DialogPrimitive } from 'radix-ui'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, NavLink, Outlet, useLocation } from 'react-router'
import { useServerEvents } from '../hooks/use-server-events.ts'
import { useSignedInUser } from '../hooks/use-signed-in-user.ts'
import { ElicitationDialog } from './elicitation-dialog.tsx'
import { Logo } from './logo.tsx'
import { PageErrorBoundary } from './page-error-boundary.tsx'
import { RoleBadge } from './role-badge.tsx'
import { SignOutButton } from './sign-out-button.tsx'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'
import { Dialog, DialogClose, DialogTrigger, OVERLAY_CLASSES } from './ui/dialog.tsx'

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
  // The chat fills the window below the header: its messages scroll, the composer stays put.
  const fullHeight = section === 'chat'
  // Only admins are offered the admin page (the API refuses everyone else anyway).
  const navItems = user.role === 'admin' ? [...NAV_ITEMS, ADMIN_ITEM] : NAV_ITEMS
  return (
    <div className={cn('flex flex-col', fullHeight ? 'h-dvh' : 'min-h-dvh')}>
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background shadow-md focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:px-3 focus:py-2"
      >
        {t('app.skipToContent')}
      </a>
      <header className="sticky top-0 z-40 shrink-0 border-b bg-background/95 backdrop-blur">
        {/* One row at every width: below lg the links move into the menu. */}
        <div className="mx-auto flex h-(--header-height) max-w-6xl items-center gap-6 px-4 sm:px-6">
          <Link to="/chat" className="flex items-center gap-2 rounded-md font-semibold">
            <Logo />
            {t('app.name')}
          </Link>
          <nav aria-label={t('nav.main')} className="hidden lg:block">
            <NavLinks items={navItems} />
          </nav>
          <div className="ml-auto flex min-w-0 items-center gap-2 sm:gap-3">
            <span
              className="hidden min-w-0 truncate text-sm text-muted-foreground xl:block xl:max-w-64"
              title={t('nav.signedInAs', { email: user.email })}
            >
              {user.email}
            </span>
            <span className="hidden lg:contents">
              <RoleBadge role={user.role} />
              <SignOutButton />
            </span>
            <PhoneMenu items={navItems} />
          </div>
        </div>
      </header>
      <main
        id="main"
        tabIndex={-1}
        className={cn(
          'mx-auto w-full flex-1 focus-visible:outline-none',
          fullHeight ? 'flex min-h-0 flex-col' : 'max-w-6xl px-4 py-8 sm:px-6',
        )}
      >
        <PageErrorBoundary key={section}>
          <Outlet />
        </PageErrorBoundary>
      </main>
      <ElicitationDialog />
    </div>
  )
}

type NavItem = (typeof NAV_ITEMS)[number] | typeof ADMIN_ITEM

function NavLinks({
  items,
  vertical = false,
  onNavigate,
}: {
  items: readonly NavItem[]
  vertical?: boolean
  onNavigate?: () => void
}) {
  const { t } = useTranslation()
  return (
    <ul className={cn('flex gap-1', vertical && 'flex-col')}>
      {items.map(({ to, label, icon: Icon }) => (
        <li key={to}>
          <NavLink
            to={to}
            onClick={onNavigate}
            className={({ isActive }) =>
              cn(
                'inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap transition-[color,background-color,border-color]',
                vertical && 'flex w-full py-2.5 text-base',
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
  )
}

/**
 * Below lg (a phone, a tablet, a narrow window: the links would not fit in one row, in German
 * least of all): one button opens a panel with every page, who is signed in and signing out.
 */
function PhoneMenu({ items }: { items: readonly NavItem[] }) {
  const { t } = useTranslation()
  const { user } = useSignedInUser()
  const [open, setOpen] = useState(false)
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="lg:hidden"
          aria-label={t('layout.menu.open')}
        >
          <Menu aria-hidden="true" />
        </Button>
      </DialogTrigger>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className={OVERLAY_CLASSES} />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          className="fixed inset-y-0 right-0 z-50 flex w-72 max-w-[calc(100%-3rem)] flex-col gap-4 overflow-y-auto border-l bg-card p-4 text-card-foreground shadow-lg"
        >
          <div className="flex items-center justify-between gap-2">
            <DialogPrimitive.Title className="text-base font-semibold">
              {t('layout.menu.title')}
            </DialogPrimitive.Title>
            <DialogClose asChild>
              <Button variant="ghost" size="icon" aria-label={t('common.close')}>
                <XIcon aria-hidden="true" />
              </Button>
            </DialogClose>
          </div>
          <nav aria-label={t('nav.main')}>
            <NavLinks items={items} vertical onNavigate={() => setOpen(false)} />
          </nav>
          <div className="mt-auto flex flex-col gap-3 border-t pt-4">
            <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
              <span className="min-w-0 break-words">
                {t('nav.signedInAs', { email: user.email })}
              </span>
              <RoleBadge role={user.role} />
            </p>
            <SignOutButton />
          </div>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </Dialog>
  )
}
