import http from "node:http";
import https from "node:https";
import axios, { type AxiosInstance } from "axios";

/**
 * One axios instance with keep-alive agents for the whole process: the old forwarder opened a
 * new TLS connection for every call. Responses are read as text and parsed by the source, so
 * that a body that is not JSON becomes a clear "malformed response" instead of an axios quirk.
 */
export function createHttpClient(options: { timeoutInMs: number }): AxiosInstance {
  return axios.create({
    timeout: options.timeoutInMs,
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 16 }),
    responseType: "text",
    transformResponse: [(data: unknown) => data],
    maxRedirects: 0,
    validateStatus: (status) => status >= 200 && status < 300,
    headers: { Accept: "application/json", "User-Agent": "microshare-pipeline" },
  });
}

/** Frees the keep-alive sockets so the process can exit. */
export function destroyHttpClient(client: AxiosInstance): void {
  const { httpAgent, httpsAgent } = client.defaults as { httpAgent?: http.Agent; httpsAgent?: https.Agent };
  httpAgent?.destroy();
  httpsAgent?.destroy();
}
