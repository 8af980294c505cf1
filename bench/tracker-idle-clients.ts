/**
 * Child process of `npm run bench:tracker -- --redis` (not run on its own): holds `count` idle
 * tracker clients (hello + announce, in swarms of `swarmSize` starting at swarm `firstSwarm`),
 * spread over the instances' URLs. One process can't hold them all: each has its own
 * file-descriptor limit. Says `{joined, errors}` over IPC, then waits to be killed.
 */
import { Load, spreadSources } from './tracker-load.ts';

const [urls, count, swarmSize, firstSwarm] = process.argv.slice(2);
const load = new Load(
  'tracker',
  urls!.split(','),
  Number(count),
  Number(swarmSize),
  'sleep',
  Number(firstSwarm),
  spreadSources,
);
await load.join();
process.send!({ joined: load.clients.length, errors: load.errors });
process.on('disconnect', () => process.exit(0));
