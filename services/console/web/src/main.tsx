import { createRoot } from 'react-dom/client';
import 'leaflet/dist/leaflet.css';
import './styles.css';
import { loadSession, signIn } from './api';
import { App } from './App';
import { I18nProvider, initialLang } from './i18n/i18n';

async function start() {
  const session = await loadSession();
  if (!session) {
    signIn(initialLang());
    return;
  }
  createRoot(document.getElementById('root')!).render(
    <I18nProvider regions={session.user.regions}>
      <App session={session} />
    </I18nProvider>,
  );
}

void start();
