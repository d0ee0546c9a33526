import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { Toaster } from 'sonner';
import { App } from './App.js';
import { AuthGate } from './features/auth/AuthGate.js';
import { applyTheme, storedTheme, ThemeContext, useTheme } from './lib/theme.js';
import './index.css';

// Before the first render, so a dark choice never flashes light.
applyTheme(storedTheme());

/** The theme for everything below, and toasts in the same theme. */
function Themed({ children }: { children: ReactNode }) {
  const theme = useTheme();
  return (
    <ThemeContext.Provider value={theme}>
      {children}
      <Toaster theme={theme.resolved} richColors closeButton position="bottom-right" />
    </ThemeContext.Provider>
  );
}

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <Themed>
      <AuthGate>
        <App />
      </AuthGate>
    </Themed>
  </StrictMode>,
);
