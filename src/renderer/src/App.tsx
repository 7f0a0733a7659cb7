import { useEffect } from 'react';
import { ConfirmDialog } from './components/ConfirmDialog';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Header } from './components/Header';
import { Toasts } from './components/Toasts';
import { ComposePanel } from './features/compose/ComposePanel';
import { DropOverlay } from './features/compose/DropOverlay';
import { usePasteReferences } from './features/compose/usePasteReferences';
import { Gallery } from './features/gallery/Gallery';
import { JobList } from './features/jobs/JobList';
import { LogDialog } from './features/logs/LogDialog';
import { SettingsDialog } from './features/settings/SettingsDialog';
import { Viewer } from './features/viewer/Viewer';
import { applyLanguage } from './i18n';
import { useSettings } from './store/stores';

export function App() {
  const language = useSettings((state) => state.view?.language);
  usePasteReferences();
  useEffect(() => {
    if (language) void applyLanguage(language);
  }, [language]);
  return (
    <div className="app" data-testid="app-root">
      <Header />
      <ConnectionBanner />
      <main className="workspace">
        <aside className="sidebar">
          <ComposePanel />
          <JobList />
        </aside>
        <Gallery />
      </main>
      <SettingsDialog />
      <Viewer />
      <LogDialog />
      <ConfirmDialog />
      <Toasts />
      <DropOverlay />
    </div>
  );
}
