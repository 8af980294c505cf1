/**
 * The simulator worker of the what-if page and the projector's demo: runs the engine simulator
 * (src/sim) off the main thread. A what-if request is answered with the simulated distribution
 * time; a demo request streams the round's stats, one message per virtual second.
 */
import { runDemoRound } from './classroom-demo';
import { runWhatIf } from './classroom-whatif';
import type { DemoRequest, DemoResponse, SimRequest, SimResponse } from './classroom-sim-messages';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/**
 * Lets the simulator's pending promise continuations run between windows of virtual time. A
 * message round trip is not throttled like a chain of setTimeout(0) (4 ms each after a few), which
 * would make a demo round slower than real time and a what-if swarm take a minute.
 */
const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldToHost = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

function runDemo(r: DemoRequest) {
  const reply = (message: DemoResponse) => scope.postMessage(message);
  runDemoRound(r.round, (tick) => reply({ id: r.id, kind: 'demo-tick', tick }), yieldToHost)
    .then((seconds) => reply({ id: r.id, kind: 'demo-done', seconds }))
    .catch((error: unknown) =>
      reply({ id: r.id, kind: 'demo-error', error: error instanceof Error ? error.message : String(error) }),
    );
}

scope.addEventListener('message', (event: MessageEvent<SimRequest | DemoRequest>) => {
  const r = event.data;
  if ('kind' in r) {
    runDemo(r);
    return;
  }
  void runWhatIf(r, yieldToHost).then((message: SimResponse) => scope.postMessage(message));
});
