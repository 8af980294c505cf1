/**
 * The "relay only" setting: every new connection goes through the TURN server
 * (`iceTransportPolicy: 'relay'`), so peers never learn this browser's IP address. The app
 * store's `relayOnly` holds it while the page runs; localStorage keeps it for the next page
 * (runtime.ts reads it at start and writes it on change).
 */
import type { KeyValueStorage } from '../pending-removals';

const KEY = 'swarmdrop.relayOnly';

export function readRelayOnly(storage: KeyValueStorage | undefined): boolean {
  try {
    return storage?.getItem(KEY) === '1';
  } catch {
    return false; // storage blocked: the default
  }
}

export function writeRelayOnly(storage: KeyValueStorage | undefined, on: boolean): void {
  try {
    if (on) storage?.setItem(KEY, '1');
    else storage?.removeItem(KEY);
  } catch {
    // not persisted; still applies to this page
  }
}
