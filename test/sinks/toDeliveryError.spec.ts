import { expect } from "chai";
import { DeliveryError } from "../../src/sinks/deliveryError.js";
import { toDeliveryError } from "../../src/sinks/toDeliveryError.js";

/** Shaped like the SDK's MessagingError (name "MessagingError", `code`, `retryable`). */
function messagingError(code: string, retryable: boolean, message = `${code} happened`): Error {
  return Object.assign(new Error(message), { name: "MessagingError", code, retryable });
}

describe("toDeliveryError", () => {
  it("keeps a MessagingError's name, code and the SDK's retryable verdict", () => {
    const error = toDeliveryError(messagingError("ServerBusyError", true));
    expect(error).to.be.instanceOf(DeliveryError);
    expect(error).to.include({
      name: "MessagingError",
      code: "ServerBusyError",
      retryable: true,
      message: "ServerBusyError happened",
    });
    expect(error.toJSON()).to.deep.equal({
      name: "MessagingError",
      code: "ServerBusyError",
      message: "ServerBusyError happened",
    });
  });

  for (const code of ["MessageTooLargeError", "MessagingEntityNotFoundError", "UnauthorizedError"]) {
    it(`never retries ${code}, whatever the SDK says`, () => {
      expect(toDeliveryError(messagingError(code, true)).retryable).to.equal(false);
    });
  }

  it("retries a released send (SendOperationFailedError), which the SDK does not", () => {
    expect(toDeliveryError(messagingError("SendOperationFailedError", false)).retryable).to.equal(true);
  });

  it("reads the last attempt of an AggregateError", () => {
    const error = toDeliveryError(
      new AggregateError(
        [messagingError("InternalServerError", true), messagingError("UnauthorizedError", true, "denied")],
        "",
      ),
    );
    expect(error).to.include({
      code: "UnauthorizedError",
      retryable: false,
      message: "after 2 tries: denied",
    });
  });

  it("turns an AbortSignal.timeout reason into a retryable OperationTimeoutError", () => {
    const reason = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(toDeliveryError(reason)).to.include({
      name: "OperationTimeoutError",
      code: "OperationTimeoutError",
      retryable: true,
    });
  });

  it("retries transient system errors and not programming errors", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5672"), { code: "ECONNREFUSED" });
    expect(toDeliveryError(refused).retryable).to.equal(true);
    expect(toDeliveryError(new TypeError("x is not a function")).retryable).to.equal(false);
    expect(toDeliveryError("a string")).to.include({ name: "Error", message: "a string", retryable: false });
  });

  it("redacts secrets an SDK message echoes back", () => {
    const error = toDeliveryError(
      messagingError(
        "UnauthorizedError",
        false,
        "bad Endpoint=sb://x/;SharedAccessKeyName=Root;SharedAccessKey=s3cr3t-value;EntityPath=h",
      ),
    );
    expect(error.message).to.not.include("s3cr3t-value");
    expect(error.message).to.include("SharedAccessKey=[REDACTED]");
  });

  it("passes a DeliveryError through unchanged", () => {
    const original = new DeliveryError({ name: "CircuitOpen", message: "open", retryable: false });
    expect(toDeliveryError(original)).to.equal(original);
  });
});
