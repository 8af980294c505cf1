import { useT } from './i18n';
import { matchRoute, usePath } from './router';
import { ROUTES } from './routes';
import { useAppStore } from './state/store';
import { Header } from './views/Header';
import { GlobalNotices } from './views/Notices';
import { BadLink } from './views/ShareView';

export function App() {
  const t = useT();
  const path = usePath();
  const match = matchRoute(ROUTES, path);
  const hasher = useAppStore((s) => s.hasher);
  // Classroom views (projector, what-if) use the whole screen: no header, no page width.
  if (match && /^\/(classroom\/|what-if$)/.test(path)) return match.view(match.params);
  return (
    <div className="app" data-testid="app" data-hasher={hasher ?? ''}>
      <Header />
      <main className="page">
        <GlobalNotices />
        {match ? match.view(match.params) : <BadLink />}
      </main>
      <footer className="footer muted small">{t('footer.text')}</footer>
    </div>
  );
}
