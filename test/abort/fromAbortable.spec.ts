import { expect } from "chai";
import { firstValueFrom } from "rxjs";
import { fromAbortable } from "../../src/abort/fromAbortable.js";

describe("fromAbortable", () => {
  it("is cold: nothing runs until subscribe", async () => {
    let calls = 0;
    const source = fromAbortable(() => {
      calls += 1;
      return Promise.resolve(calls);
    });
    expect(calls).to.equal(0);
    expect(await firstValueFrom(source)).to.equal(1);
    expect(await firstValueFrom(source)).to.equal(2);
  });

  it("aborts the call when unsubscribed before it settled", () => {
    let signal: AbortSignal | undefined;
    const subscription = fromAbortable((s) => {
      signal = s;
      return new Promise<never>(() => undefined);
    }).subscribe();
    expect(signal?.aborted).to.equal(false);
    subscription.unsubscribe();
    expect(signal?.aborted).to.equal(true);
  });

  it("does not abort a call that already settled", async () => {
    let signal: AbortSignal | undefined;
    await firstValueFrom(
      fromAbortable((s) => {
        signal = s;
        return Promise.resolve("ok");
      }),
    );
    expect(signal?.aborted).to.equal(false);
  });

  it("passes a rejection on as the error", async () => {
    const failure = new Error("nope");
    try {
      await firstValueFrom(fromAbortable(() => Promise.reject(failure)));
      expect.fail("expected an error");
    } catch (error) {
      expect(error).to.equal(failure);
    }
  });
});
