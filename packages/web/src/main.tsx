import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { Toaster } from 'sonner';
import { App } from './App.js';
import { AuthGate } from './features/auth/AuthGate.js';
import { I18nContext, useI18n, useI18nState } from './i18n/i18n-context.js';
import { applyLocale, initialLocale } from './i18n/locale.js';
import { applyTheme, storedTheme, ThemeContext, useTheme } from './lib/theme.js';
import './index.css';

// Before the first render, so a dark choice never flashes light.
applyTheme(storedTheme());
applyLocale(initialLocale());

/** The console's language for everything below, sign-in included. */
function Localized({ children }: { children: ReactNode }) {
  const i18n = useI18nState();
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

/** The theme for everything below, and toasts in the same theme. */
function Themed({ children }: { children: ReactNode }) {
  const theme = useTheme();
  const { t } = useI18n();
  return (
    <ThemeContext.Provider value={theme}>
      {children}
      <Toaster
        theme={theme.resolved}
        richColors
        closeButton
        position="bottom-right"
        containerAriaLabel={t('app.notifications')}
        toastOptions={{ closeButtonAriaLabel: t('app.closeToast') }}
      />
    </ThemeContext.Provider>
  );
}

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <Localized>
      <Themed>
        <AuthGate>
          <App />
        </AuthGate>
      </Themed>
    </Localized>
  </StrictMode>,
);
