import { type QueryClient, QueryClientProvider } from '@tanstack/react-query'
import type { i18n as I18n } from 'i18next'
import { I18nextProvider } from 'react-i18next'
import { BrowserRouter, Navigate, Route, Routes } from 'react-router'
import { AppShell } from './components/app-shell.tsx'
import { AppToaster } from './components/app-toaster.tsx'
import { GuestOnly } from './components/guest-only.tsx'
import { RequireAuth } from './components/require-auth.tsx'
import { AdminPage } from './pages/admin-page.tsx'
import { ChatPage } from './pages/chat-page.tsx'
import { LoginPage } from './pages/login-page.tsx'
import { NotFoundPage } from './pages/not-found-page.tsx'
import { OAuthConsentPage } from './pages/oauth-consent-page.tsx'
import { OAuthErrorPage } from './pages/oauth-error-page.tsx'
import { RegisterPage } from './pages/register-page.tsx'
import { ResetPasswordPage } from './pages/reset-password-page.tsx'
import { ServerDetailPage } from './pages/server-detail-page.tsx'
import { ServersPage } from './pages/servers-page.tsx'
import { SettingsPage } from './pages/settings-page.tsx'
import { ToolCallsPage } from './pages/tool-calls-page.tsx'
import { ToolTesterPage } from './pages/tool-tester-page.tsx'

export interface AppProps {
  queryClient: QueryClient
  i18n: I18n
}

export function App({ queryClient, i18n }: AppProps) {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Routes>
            <Route index element={<Navigate to="/chat" replace />} />
            <Route element={<GuestOnly />}>
              <Route path="login" element={<LoginPage />} />
              <Route path="register" element={<RegisterPage />} />
            </Route>
            <Route path="oauth/error" element={<OAuthErrorPage />} />
            <Route path="reset-password" element={<ResetPasswordPage />} />
            <Route element={<RequireAuth />}>
              <Route path="oauth/consent" element={<OAuthConsentPage />} />
              <Route element={<AppShell />}>
                {/* One route for both, so the page (and its list) stays mounted between them. */}
                <Route path="chat/:conversationId?" element={<ChatPage />} />
                <Route path="servers" element={<ServersPage />} />
                <Route path="servers/:id" element={<ServerDetailPage />} />
                <Route path="servers/:id/tools/:toolName/try" element={<ToolTesterPage />} />
                <Route path="tool-calls" element={<ToolCallsPage />} />
                <Route path="settings" element={<SettingsPage />} />
                <Route path="admin" element={<AdminPage />} />
              </Route>
            </Route>
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </BrowserRouter>
        <AppToaster />
      </QueryClientProvider>
    </I18nextProvider>
  )
}
