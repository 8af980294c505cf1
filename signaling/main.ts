/** Entry point: `npm start` / `npm run serve`. Serves the SPA and (with the tracker issue) /tracker. */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './static.ts';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const statics = serveStatic(dist);

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ clients: 0, swarms: 0 }));
    return;
  }
  statics(req, res);
});
server.listen(port, host, () => console.log(`Swarmdrop on http://localhost:${port}/`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
