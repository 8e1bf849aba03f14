// A small TCP proxy playing the load balancer of a rolling deployment: every new connection
// goes to the current target; switchTo() sends the next ones elsewhere while the open ones
// stay where they are (until that server closes them).
import net from 'node:net';

export async function startProxy(targetPort) {
  let target = targetPort;
  const open = new Set();
  const counts = new Map(); // target port -> connections made to it
  const server = net.createServer((client) => {
    const port = target;
    counts.set(port, (counts.get(port) || 0) + 1);
    const upstream = net.connect(port, '127.0.0.1');
    const pair = { client, upstream };
    open.add(pair);
    const end = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    switchTo(next) { target = next; },
    connectionsTo: (p) => counts.get(p) || 0,
    close() {
      for (const { client, upstream } of open) { client.destroy(); upstream.destroy(); }
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
