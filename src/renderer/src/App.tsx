import { useEffect } from 'react';
import { ConfirmDialog } from './components/ConfirmDialog';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Header } from './components/Header';
import { OfflineBanner } from './components/OfflineBanner';
import { Toasts } from './components/Toasts';
import { UnreadableSecretsBanner } from './components/UnreadableSecretsBanner';
import { AnnotateEditor } from './features/annotate/AnnotateEditor';
import { CompareView } from './features/compare/CompareView';
import { AgainDialog } from './features/runs/AgainDialog';
import { ComposePanel } from './features/compose/ComposePanel';
import { DropOverlay } from './features/compose/DropOverlay';
import { usePasteReferences } from './features/compose/usePasteReferences';
import { Gallery } from './features/gallery/Gallery';
import { JobList } from './features/jobs/JobList';
import { LogDialog } from './features/logs/LogDialog';
import { SettingsDialog } from './features/settings/SettingsDialog';
import { StorageQuestionDialog } from './features/settings/StorageQuestionDialog';
import { ShortcutsSheet } from './features/shortcuts/ShortcutsSheet';
import { useGlobalShortcuts } from './features/shortcuts/useGlobalShortcuts';
import { Viewer } from './features/viewer/Viewer';
import { applyLanguage } from './i18n';
import { useSettings } from './store/stores';
import { applyTheme } from './theme';

export function App() {
  const language = useSettings((state) => state.view?.language);
  const theme = useSettings((state) => state.view?.theme);
  usePasteReferences();
  useGlobalShortcuts();
  useEffect(() => {
    if (language) void applyLanguage(language);
  }, [language]);
  useEffect(() => (theme ? applyTheme(theme) : undefined), [theme]);
  return (
    <div className="app" data-testid="app-root">
      <Header />
      <ConnectionBanner />
      <OfflineBanner />
      <UnreadableSecretsBanner />
      <main className="workspace">
        <aside className="sidebar">
          <ComposePanel />
          <JobList />
        </aside>
        <Gallery />
      </main>
      <SettingsDialog />
      <AnnotateEditor />
      <Viewer />
      <CompareView />
      <LogDialog />
      <ShortcutsSheet />
      <ConfirmDialog />
      <AgainDialog />
      <StorageQuestionDialog />
      <Toasts />
      <DropOverlay />
    </div>
  );
}
