import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { prefetchFirstPage } from './app/prefetch.ts';
import { queryClient } from './shared/api/query-client.ts';
import { I18nProvider } from './shared/i18n/I18nProvider.tsx';
import './styles.css';

/** Longest the first render waits for the page's first answers; they are normally preloaded already. */
const FIRST_DATA_WAIT_MS = 200;

await Promise.race([prefetchFirstPage(queryClient, location.pathname), new Promise((resolve) => setTimeout(resolve, FIRST_DATA_WAIT_MS))]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <App />
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
