import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Bridge } from '@shared/ipc/bridge';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '@shared/ipc/channels';

/**
 * The renderer's only door to main: two fixed channels, never ipcRenderer itself, so a
 * compromised page cannot reach any other channel or see the IPC event object.
 */
const bridge: Bridge = {
  request: (route, input) => ipcRenderer.invoke(IPC_REQUEST_CHANNEL, route, input),
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, name: string, payload: unknown): void =>
      listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('bridge', bridge);
