/**
 * The "relay only" setting: every connection goes through the TURN server
 * (`iceTransportPolicy: 'relay'`), so peers never learn this browser's IP address. Kept in
 * localStorage; read by the connector for each new connection.
 */
import { create } from 'zustand';

const KEY = 'swarmdrop.relayOnly';

function stored(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) === '1';
  } catch {
    return false; // storage blocked: the default
  }
}

export const useRelayOnly = create<{ on: boolean; set: (on: boolean) => void }>()((set) => ({
  on: stored(),
  set: (on) => {
    try {
      if (on) localStorage.setItem(KEY, '1');
      else localStorage.removeItem(KEY);
    } catch {
      // not persisted; still applies to this page
    }
    set({ on });
  },
}));

export const relayOnly = (): boolean => useRelayOnly.getState().on;
