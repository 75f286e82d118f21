// The HTTPS listener: TLS with the cluster certificates, client certificates requested (not
// required) so both cert and token users connect, keep-alive, and a graceful close that ends
// watches first.
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Pki } from "./certs.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Listener {
  port: number;
  /** Starts serving requests with handler (until then requests get 503). */
  serve(handler: Handler): void;
  close(): Promise<void>;
}

function notReady(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server is starting", reason: "ServiceUnavailable", code: 503 }));
}

/** Binds the HTTPS port first, so an OS-chosen port (0) is known before the API server starts. */
export async function listen(pki: Pki, address: string, port: number): Promise<Listener> {
  let handler: Handler = notReady;
  const server = https.createServer(
    {
      key: pki.serverKey,
      cert: pki.serverCert,
      ca: pki.caCert,
      requestCert: true,
      rejectUnauthorized: false,
      ALPNProtocols: ["http/1.1"],
    },
    (req, res) => handler(req, res),
  );
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 80_000;
  server.requestTimeout = 0; // watches are long-lived
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    serve: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  };
}
