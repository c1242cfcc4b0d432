import type { ServerResponse } from "node:http";
import { appliesTo, malform, type RawBody } from "./malformed.js";
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
  let raw: RawBody;
  const endpoint = started.endpoint;
  if (response.kind === "json") {
    if (
      response.status === 200 &&
      (endpoint === "view" || endpoint === "device" || endpoint === "share") &&
      appliesTo(malformed, endpoint, started.endpointCall)
    ) {
      raw = malform(malformed.kind, endpoint, response.payload);
    } else {
      raw = { contentType: "application/json; charset=utf-8", body: JSON.stringify(response.payload) };
    }
  } else {
    raw = { contentType: response.contentType ?? "text/plain; charset=utf-8", body: response.body };
  }
  res.writeHead(response.status, {
    "content-type": raw.contentType,
    "content-length": raw.declaredLength ?? Buffer.byteLength(raw.body),
    ...(raw.contentEncoding === undefined ? {} : { "content-encoding": raw.contentEncoding }),
    ...response.headers,
  });
  if (raw.declaredLength === undefined) {
    res.end(raw.body);
    return;
  }
  // Less than announced, then the connection goes: what a proxy that dies mid-body does.
  res.write(raw.body, () => res.destroy());
}
