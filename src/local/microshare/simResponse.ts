import type { IncomingHttpHeaders } from "node:http";

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A handler's answer before it is written, so faults and malformed switches can replace or distort it. */
export type SimResponse =
  | { kind: "json"; status: number; payload: unknown; headers?: Record<string, string> }
  | { kind: "text"; status: number; body: string; contentType?: string; headers?: Record<string, string> };

export function jsonResponse(
  status: number,
  payload: unknown,
  headers?: Record<string, string>,
): SimResponse {
  return headers ? { kind: "json", status, payload, headers } : { kind: "json", status, payload };
}

export function textResponse(status: number, body: string, headers?: Record<string, string>): SimResponse {
  return headers ? { kind: "text", status, body, headers } : { kind: "text", status, body };
}

/** Microshare's wording for an unknown or inaccessible record (views, clusters). */
export const NOT_FOUND_TEXT = "io.microshare.utils.NotFoundException: Record not found or inaccessible.";

export function notFound(): SimResponse {
  return textResponse(404, NOT_FOUND_TEXT);
}
