export { startKieSimulator } from './server';
export type { KieSimulator, KieSimulatorOptions } from './types';
export { signCallback, type CallbackAttempt, type CallbackBody, type CallbackData } from './callbacks';
export {
  kieFaultSchema,
  SIM_ENDPOINTS,
  type ActiveFault,
  type FaultScope,
  type KieFault,
  type KieFaultKind,
  type ResolvedKieFault,
  type SimEndpoint,
} from './faults';
export { DOWNLOAD_URL_TTL_MS } from './files';
export type { RequestLogEntry } from './requestLog';
export type { SimTaskState, SimulatedTask, SimulatorTimings } from './tasks';
