import { expect } from "chai";
import { linkedSignal } from "../../src/abort/linkedSignal.js";

describe("linkedSignal", () => {
  it("aborts with the reason of whichever input aborts first", () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkedSignal(a.signal, b.signal);
    b.abort("b went first");
    a.abort("a later");
    expect(linked.signal.aborted).to.equal(true);
    expect(linked.signal.reason).to.equal("b went first");
  });

  it("is aborted at once when an input already is", () => {
    const a = new AbortController();
    a.abort("already");
    expect(linkedSignal(a.signal, new AbortController().signal).signal.reason).to.equal("already");
  });

  it("stops listening to its inputs once disposed", () => {
    const lifetime = new AbortController();
    const linked = linkedSignal(lifetime.signal, new AbortController().signal);
    linked.dispose();
    lifetime.abort("process closing");
    expect(linked.signal.aborted).to.equal(false);
  });
});
