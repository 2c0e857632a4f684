/**
 * A TCP proxy in front of app processes, as a load balancer would be: browsers' sockets
 * connect to the proxy, which forwards each new connection to the process chosen at that
 * moment (`route`). `cut()` drops every open connection at once, as a network drop or a
 * balancer restart would; the next connection goes wherever `route` now points.
 */
import net from "node:net";

export interface TcpProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Sends new connections to `targetPort` from now on. */
  route(targetPort: number): void;
  /** Destroys every open connection (both sides see the connection close). */
  cut(): void;
  close(): Promise<void>;
}

/** A proxy on a free loopback port, forwarding to `targetPort` until `route` says otherwise. */
export async function startProxy(targetPort: number): Promise<TcpProxy> {
  let target = targetPort;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    route(next) {
      target = next;
    },
    cut() {
      for (const socket of [...open]) socket.destroy();
      open.clear();
    },
    close() {
      for (const socket of [...open]) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
