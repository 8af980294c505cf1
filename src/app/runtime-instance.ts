/** The page's one Runtime, set by main.tsx before the first render. Views call its actions. */
import type { Runtime } from './runtime';

let instance: Runtime | undefined;

export function setRuntime(runtime: Runtime): void {
  instance = runtime;
}

export function runtime(): Runtime {
  if (!instance) throw new Error('the runtime is not started');
  return instance;
}

export function maybeRuntime(): Runtime | undefined {
  return instance;
}
