import { createContext, useContext } from 'react';

/**
 * Roving focus in the job list: only the current card is in the Tab order, and with it its own
 * controls; every other card's controls are reached by moving to that card first (arrow keys,
 * or a click). So the list costs a keyboard user one Tab stop plus one card's buttons, however
 * long it is.
 */
export const CardTabIndex = createContext<0 | -1>(0);

/** The tabIndex for a control inside a job card. */
export function useCardTabIndex(): 0 | -1 {
  return useContext(CardTabIndex);
}
