import type en from './en.json'

// English is the source of truth for keys: `t('missing.key')` fails to type-check.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: { translation: typeof en }
  }
}
