/**
 * The views: React and everything it shows. Loaded beside the boot (src/app/main.tsx), not before
 * it: react-dom alone is ~40 % of the page's code, and a download link's announce needs none of it.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useLanguage } from './i18n';
import { perfMark } from './perf-mark';
import './styles.css';

export function renderApp(): void {
  document.documentElement.lang = useLanguage.getState().lang;
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  perfMark('render');
}
