import { LogOut } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { useLogout } from '../api/auth.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { Button } from './ui/button.tsx'

export function SignOutButton() {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  const logout = useLogout()
  const signOut = async () => {
    // mutateAsync, not mutate callbacks: signing out unmounts this button before they would run.
    try {
      await logout.mutateAsync()
      toast.success(t('nav.signedOut'))
    } catch (error) {
      toast.error(errorMessage(error))
    }
  }
  return (
    <Button variant="ghost" size="sm" pending={logout.isPending} onClick={signOut}>
      {!logout.isPending && <LogOut aria-hidden="true" />}
      {t('nav.signOut')}
    </Button>
  )
}
