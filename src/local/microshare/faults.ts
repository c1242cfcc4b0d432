import { Salt, unit } from "./hash.js";
import { type SimResponse, textResponse } from "./simResponse.js";
import type { FaultRule } from "./simulatorOptions.js";

export type EndpointName = "token" | "login" | "device" | "view" | "share" | "other";

const ENDPOINT_CODES: Record<EndpointName, number> = {
  token: 1,
  login: 2,
  device: 3,
  view: 4,
  share: 5,
  other: 6,
};

export interface CallNumbers {
  /** 1-based number of this call among calls of its endpoint. */
  endpointCall: number;
  /** 1-based number of this call among all calls. */
  anyCall: number;
}

/**
 * The first rule that fails this call: `onCalls` names exact call numbers; `rate` draws from the
 * seed, the rule's position, the endpoint and the call number, so a run is reproducible.
 */
export function pickFault(
  rules: readonly FaultRule[],
  endpoint: EndpointName,
  calls: CallNumbers,
  seed: number,
): FaultRule | undefined {
  return rules.find((rule, position) => {
    if (rule.endpoint !== "any" && rule.endpoint !== endpoint) return false;
    const n = rule.endpoint === "any" ? calls.anyCall : calls.endpointCall;
    if (rule.onCalls?.includes(n)) return true;
    if (rule.rate !== undefined && rule.rate > 0) {
      const key = rule.endpoint === "any" ? 0 : ENDPOINT_CODES[endpoint];
      return unit(seed, Salt.fault, position * 16 + key, n) < rule.rate;
    }
    return false;
  });
}

export function faultResponse(rule: FaultRule): SimResponse {
  const headers: Record<string, string> = {};
  if (rule.retryAfterSeconds !== undefined) headers["retry-after"] = String(rule.retryAfterSeconds);
  return textResponse(rule.status, rule.body ?? `Simulated fault: HTTP ${rule.status}`, headers);
}
