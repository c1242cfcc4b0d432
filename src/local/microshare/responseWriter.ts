import type { ServerResponse } from "node:http";
import { appliesTo, malform } from "./malformed.js";
import type { SimResponse } from "./simResponse.js";
import type { MalformedRule } from "./simulatorOptions.js";
import type { StartedRequest } from "./stats.js";

/**
 * Writes a handler's answer with an exact Content-Length. A successful JSON answer of the
 * endpoint and call a malformed rule names is distorted first; errors are never distorted, so
 * a test of malformed bodies cannot be confused with a fault.
 */
export function writeResponse(
  res: ServerResponse,
  response: SimResponse,
  malformed: MalformedRule | undefined,
  started: StartedRequest,
): void {
  if (res.destroyed || res.headersSent) return;
  let contentType: string;
  let body: string;
  const endpoint = started.endpoint;
  if (response.kind === "json") {
    if (
      response.status === 200 &&
      (endpoint === "view" || endpoint === "device" || endpoint === "share") &&
      appliesTo(malformed, endpoint, started.endpointCall)
    ) {
      ({ contentType, body } = malform(malformed.kind, endpoint, response.payload));
    } else {
      contentType = "application/json; charset=utf-8";
      body = JSON.stringify(response.payload);
    }
  } else {
    contentType = response.contentType ?? "text/plain; charset=utf-8";
    body = response.body;
  }
  res.writeHead(response.status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    ...response.headers,
  });
  res.end(body);
}
