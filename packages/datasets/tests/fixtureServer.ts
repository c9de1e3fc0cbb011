/** A local HTTP server on 127.0.0.1 (ephemeral port) serving test fixtures, with injectable faults and Range support. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Faults a route can inject, each consumed once per listed request (the first requests fail, later ones succeed). */
export type Fault =
  | 'http500' // answer 500
  | 'reset' // send the headers and half of the body, then destroy the socket
  | 'truncate' // serve only the first 60 % of the file, with a matching Content-Length (every time)
  | 'http404'; // answer 404

/** A route: the bytes to serve and a queue of faults for its first requests. */
export interface Route {
  body: Uint8Array;
  faults?: Fault[];
}

/** A running fixture server. */
export interface FixtureServer {
  url(path: string): string;
  /** Requests seen: path and Range header. */
  requests: { path: string; range: string | undefined }[];
  close(): Promise<void>;
}

/** Starts a server for `routes` (path → route). */
export async function startFixtureServer(routes: Record<string, Route>): Promise<FixtureServer> {
  const requests: FixtureServer['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    requests.push({ path, range: req.headers.range });
    const route = routes[path];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const fault = route.faults?.[0] === 'truncate' ? 'truncate' : route.faults?.shift();
    if (fault === 'http500') return void res.writeHead(500).end('boom');
    if (fault === 'http404') return void res.writeHead(404).end('gone');
    const body = fault === 'truncate' ? route.body.subarray(0, Math.floor(route.body.length * 0.6)) : route.body;
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) {
      start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
        'accept-ranges': 'bytes',
      });
    } else {
      res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' });
    }
    const rest = body.subarray(start);
    if (fault === 'reset') {
      res.write(rest.subarray(0, Math.floor(rest.length / 2)), () => {
        setTimeout(() => req.socket.destroy(), 20);
      });
      return;
    }
    res.end(rest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
