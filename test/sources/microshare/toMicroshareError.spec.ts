import { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from "axios";
import { expect } from "chai";
import { MicroshareError, isMicroshareError } from "../../../src/sources/microshare/microshareError.js";
import { parseRetryAfter, toMicroshareError } from "../../../src/sources/microshare/toMicroshareError.js";

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-11-14T12:00:00.000Z");

  it("reads delta-seconds, including fractions and surrounding space", () => {
    expect(parseRetryAfter("120", now)).to.equal(120_000);
    expect(parseRetryAfter(" 1.5 ", now)).to.equal(1500);
    expect(parseRetryAfter("0", now)).to.equal(0);
  });

  it("reads an HTTP date as the time left until it", () => {
    expect(parseRetryAfter("Fri, 14 Nov 2025 12:00:30 GMT", now)).to.equal(30_000);
  });

  it("treats an HTTP date in the past as no wait", () => {
    expect(parseRetryAfter("Fri, 14 Nov 2025 11:00:00 GMT", now)).to.equal(0);
  });

  it("ignores what is neither", () => {
    for (const header of [undefined, "", "  ", "soon", "-5", 30, ["10"]]) {
      expect(parseRetryAfter(header, now), String(header)).to.equal(undefined);
    }
  });
});

describe("toMicroshareError", () => {
  const config = { headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
  const httpError = (status: number, data: string, headers: Record<string, string> = {}): AxiosError => {
    const response: AxiosResponse = { status, statusText: "", data, headers, config };
    return new AxiosError(
      `Request failed with status code ${status}`,
      "ERR_BAD_RESPONSE",
      config,
      {},
      response,
    );
  };

  it("classifies statuses into codes and retryability", () => {
    const cases: [number, string, string, boolean][] = [
      [401, "nope", "unauthorized", false],
      [403, "nope", "unauthorized", false],
      [404, "io.microshare.utils.NotFoundException: Record not found or inaccessible.", "not-found", false],
      [429, "slow down", "throttled", true],
      [500, "boom", "server", true],
      [503, "Service Unavailable", "server", true],
      [503, "[Error: unresolvable property or identifier: ownerOrg]", "view-template", false],
      [418, "teapot", "http", false],
    ];
    for (const [status, body, code, retryable] of cases) {
      const error = toMicroshareError(httpError(status, body), "GET /x");
      expect([error.code, error.retryable, error.status], `${status} ${body}`).to.deep.equal([
        code,
        retryable,
        status,
      ]);
    }
  });

  it("names the unresolvable identifier of the template error", () => {
    const error = toMicroshareError(
      httpError(503, "[Error: unresolvable property or identifier: ownerOrg]"),
      "GET /x",
    );
    expect(error.message).to.contain('"ownerOrg"').and.to.contain("retrying cannot help");
  });

  it("keeps Retry-After and a short single-line excerpt of the body", () => {
    const error = toMicroshareError(
      httpError(502, `line one\n${"x".repeat(500)}`, { "retry-after": "3" }),
      "GET /x",
    );
    expect(error.retryAfterInMs).to.equal(3000);
    expect(error.message).not.to.contain("\n");
    expect(error.message.length).to.be.below(260);
  });

  it("classifies time-outs, network failures and cancellation", () => {
    const timeout = new AxiosError("timeout of 10ms exceeded", "ECONNABORTED", config, {});
    const refused = new AxiosError("connect ECONNREFUSED", "ECONNREFUSED", config, {});
    const canceled = new AxiosError("canceled", "ERR_CANCELED", config, {});
    expect(toMicroshareError(timeout, "GET /x")).to.include({ code: "timeout", retryable: true });
    expect(toMicroshareError(refused, "GET /x")).to.include({ code: "network", retryable: true });
    expect(toMicroshareError(canceled, "GET /x")).to.include({ code: "aborted", retryable: false });
    expect(toMicroshareError(new Error("socket hang up"), "GET /x")).to.include({ code: "network" });
  });

  it("passes a MicroshareError through and is recognised by name", () => {
    const original = new MicroshareError("page-cap", "too many pages");
    expect(toMicroshareError(original, "GET /x")).to.equal(original);
    const lookalike = Object.assign(new Error("from another copy of the module"), {
      name: "MicroshareError",
    });
    expect(isMicroshareError(lookalike)).to.equal(true);
  });
});
