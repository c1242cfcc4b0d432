import type { EndpointName } from "./faults.js";

export interface RequestRecord {
  endpoint: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Wall-clock ms (Date.now), not the simulator clock, so latency shows even with a frozen `now`. */
  startedAt: number;
  endedAt: number;
}

export interface StartedRequest {
  endpoint: EndpointName;
  endpointCall: number;
  anyCall: number;
  record: RequestRecord;
}

/** Counts calls per endpoint (the numbering fault and malformed rules use), in-flight peaks and a log. */
export class RequestStats {
  readonly records: RequestRecord[] = [];
  private readonly calls = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private readonly peaks = new Map<string, number>();
  private anyCalls = 0;

  begin(endpoint: EndpointName, method: string, path: string, query: URLSearchParams): StartedRequest {
    const endpointCall = (this.calls.get(endpoint) ?? 0) + 1;
    this.calls.set(endpoint, endpointCall);
    this.anyCalls++;
    for (const key of [endpoint, "any"]) {
      const now = (this.inFlight.get(key) ?? 0) + 1;
      this.inFlight.set(key, now);
      this.peaks.set(key, Math.max(this.peaks.get(key) ?? 0, now));
    }
    // Repeated parameters keep their first value here; handlers still see them all.
    const flat: Record<string, string> = {};
    for (const [k, v] of query) if (!(k in flat)) flat[k] = v;
    // Logged on arrival so the log is in request order; status and endedAt stay 0 until the response ends.
    const record: RequestRecord = {
      endpoint,
      method,
      path,
      query: flat,
      status: 0,
      startedAt: Date.now(),
      endedAt: 0,
    };
    this.records.push(record);
    return { endpoint, endpointCall, anyCall: this.anyCalls, record };
  }

  end(started: StartedRequest, status: number): void {
    for (const key of [started.endpoint, "any"])
      this.inFlight.set(key, Math.max(0, (this.inFlight.get(key) ?? 0) - 1));
    started.record.status = status;
    started.record.endedAt = Date.now();
  }

  count(endpoint?: string): number {
    return endpoint === undefined ? this.anyCalls : (this.calls.get(endpoint) ?? 0);
  }

  maxInFlight(endpoint?: string): number {
    return this.peaks.get(endpoint ?? "any") ?? 0;
  }

  /** Clears counts, peaks and the log; requests still in flight stay counted as in flight. */
  reset(): void {
    this.records.length = 0;
    this.calls.clear();
    this.peaks.clear();
    this.anyCalls = 0;
    for (const [key, n] of this.inFlight) this.peaks.set(key, n);
  }
}
