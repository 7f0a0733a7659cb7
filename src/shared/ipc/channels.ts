/**
 * Electron IPC channel names: the only two, shared by preload and main. Kept apart from the
 * contract so the preload does not bundle zod and every schema for two strings.
 */
export const IPC_REQUEST_CHANNEL = 'banana:request';
export const IPC_EVENT_CHANNEL = 'banana:event';
