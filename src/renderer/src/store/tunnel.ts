import { create } from 'zustand';
import type { TunnelStatus } from '@shared/domain/tunnel';
import { api } from '../ipc/api';

interface TunnelState {
  status: TunnelStatus | null;
  load(): Promise<void>;
  received(status: TunnelStatus): void;
}

export const useTunnel = create<TunnelState>((set) => ({
  status: null,
  async load() {
    const result = await api().request('tunnel.get', {});
    if (result.ok) set({ status: result.value });
  },
  received: (status) => set({ status }),
}));
