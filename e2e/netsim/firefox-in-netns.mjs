// Runs Firefox inside a netsim machine's namespace for a WebDriver BiDi driver (puppeteer-core).
// Usage (as the executable the driver launches, through a wrapper): node firefox-in-netns.mjs NS FIREFOX ARGS...
//
// Chromium is driven over a pipe, so `ip netns exec NS chromium` is all it needs. Firefox speaks BiDi
// over a WebSocket on its own loopback (`--remote-debugging-port=0`), and the namespace's loopback is
// not the runner's. So this process, in the runner's namespace, starts Firefox in NS, listens on the
// runner's 127.0.0.1, and carries each connection into NS through a tiny pipe process there
// (`ip netns exec NS node -e ...`); the "WebDriver BiDi listening on ws://..." line the driver waits
// for is rewritten to the runner-side address. Everything stays on loopback.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const [ns, firefox, ...args] = process.argv.slice(2);
if (!ns || !firefox) {
  console.error('usage: firefox-in-netns.mjs NAMESPACE FIREFOX [ARGS...]');
  process.exit(2);
}

const child = spawn('ip', ['netns', 'exec', ns, firefox, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
let target; // "host:port" of Firefox's BiDi listener inside the namespace

const server = createServer((socket) => {
  // Copies bytes both ways between this socket (stdin/stdout) and Firefox's listener inside NS.
  const pipeSource =
    'const s=require("net").connect(Number(process.argv[2]),process.argv[1]);' +
    'process.stdin.pipe(s);s.pipe(process.stdout);s.on("close",()=>process.exit(0));s.on("error",()=>process.exit(1));';
  const [host, port] = splitHostPort(target);
  const pipe = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', pipeSource, host, port], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  socket.pipe(pipe.stdin);
  pipe.stdout.pipe(socket);
  const end = () => {
    socket.destroy();
    pipe.kill();
  };
  socket.on('close', end);
  socket.on('error', end);
  pipe.on('exit', end);
});

server.on('error', (err) => {
  console.error(`firefox-in-netns: cannot listen beside Firefox's BiDi port: ${err.message}`);
  child.kill();
});

function splitHostPort(hostPort) {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i).replace(/^\[|\]$/g, ''), hostPort.slice(i + 1)];
}

/** Passes a stream of Firefox's output through, rewriting the BiDi address once it is known. */
function relay(from, to) {
  let pending = '';
  from.on('data', (chunk) => {
    pending += chunk.toString();
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl + 1);
      pending = pending.slice(nl + 1);
      const m = /WebDriver BiDi listening on ws:\/\/([^/\s]+)/.exec(line);
      if (!m) {
        to.write(line);
        continue;
      }
      target = m[1];
      // The same port number outside: Firefox refuses a handshake whose Host header names another port.
      server.listen(Number(splitHostPort(target)[1]), '127.0.0.1', () => {
        const outside = `127.0.0.1:${server.address().port}`;
        to.write(line.replace(target, outside));
      });
    }
  });
}

relay(child.stdout, process.stdout);
relay(child.stderr, process.stderr);
child.on('exit', (code, signal) => {
  server.close();
  process.exit(code ?? (signal ? 1 : 0));
});
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => child.kill(sig));
