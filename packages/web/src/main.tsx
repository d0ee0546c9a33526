import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Toaster } from 'sonner';
import { App } from './App.js';
import { AuthGate } from './features/auth/AuthGate.js';
import './index.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <AuthGate>
      <App />
    </AuthGate>
    <Toaster theme="system" richColors closeButton position="bottom-right" />
  </StrictMode>,
);
