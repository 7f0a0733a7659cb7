import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n } from './i18n';
import { createApi, setApi } from './ipc/api';
import { pickBridge } from './ipc/pickBridge';
import { watchWindowFocus } from './ipc/windowFocus';
import { bindEvents } from './store/bindEvents';
import { useGallery } from './store/gallery';
import { useLibrary } from './store/library';
import { startOpenedReferences } from './store/openedReferences';
import { useCompose, useCredits, useJobs, useSettings, useTunnel, useUi } from './store/stores';
import './styles.css';

async function start(): Promise<void> {
  await initI18n();
  let wasConnected = false;
  let focus: ReturnType<typeof watchWindowFocus> | null = null;
  const picked = pickBridge((state) => {
    const reconnected = state === 'connected' && wasConnected;
    if (state === 'connected') wasConnected = true;
    useUi.getState().setConnection(state);
    // Events pushed while the bridge was down are gone: read everything again.
    if (reconnected) {
      focus?.again();
      void loadAll();
    }
  });
  useUi.getState().setReconnect(picked.reconnectNow);
  const api = createApi(picked.bridge);
  setApi(api);
  bindEvents(api);
  focus = watchWindowFocus(api);
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  await useSettings.getState().load();
  const view = useSettings.getState().view;
  if (view) useCompose.getState().adoptDefaults(view);
  // Files opened with the app at launch have been waiting in core for this window.
  void startOpenedReferences();
  await loadAll();
}

/** What the window shows, read from core: at start and after the web bridge came back. */
async function loadAll(): Promise<void> {
  await Promise.all([
    useJobs.getState().load(),
    useGallery.getState().reload(),
    useLibrary.getState().load(),
    useCredits.getState().refresh(),
    useTunnel.getState().load(),
  ]);
}

void start();
