import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createQueryClient } from './api/query-client.ts'
import { App } from './app.tsx'
import { ThemeProvider } from './components/theme-provider.tsx'
import { createI18n } from './i18n/index.ts'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <ThemeProvider>
      <App queryClient={createQueryClient()} i18n={createI18n()} />
    </ThemeProvider>
  </StrictMode>,
)
