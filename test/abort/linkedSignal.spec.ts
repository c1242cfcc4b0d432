import { getMaxListeners, setMaxListeners } from "node:events";
import { expect } from "chai";
import { LINKS_BEFORE_WARNING, linkedSignal, ZERO_IS_DEFAULT } from "../../src/abort/linkedSignal.js";

describe("linkedSignal", () => {
  it("aborts with the reason of whichever input aborts first", () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkedSignal(a.signal, b.signal);
    b.abort("b went first");
    a.abort("a later");
    expect(linked.abortSignal.aborted).to.equal(true);
    expect(linked.abortSignal.reason).to.equal("b went first");
  });

  it("is aborted at once when an input already is", () => {
    const a = new AbortController();
    a.abort("already");
    expect(linkedSignal(a.signal, new AbortController().signal).abortSignal.reason).to.equal("already");
  });

  it("stops listening to its inputs once disposed", () => {
    const lifetime = new AbortController();
    const linked = linkedSignal(lifetime.signal, new AbortController().signal);
    linked.dispose();
    lifetime.abort("process closing");
    expect(linked.abortSignal.aborted).to.equal(false);
  });
});

describe("linkedSignal on a long-lived input", () => {
  const leakWarnings = async (links: number): Promise<string[]> => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => {
      if (warning.name === "MaxListenersExceededWarning") warnings.push(warning.message);
    };
    process.on("warning", onWarning);
    try {
      const lifetime = new AbortController();
      const linked = Array.from({ length: links }, () => linkedSignal(lifetime.signal));
      // Node emits process warnings on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
      linked.forEach((l) => l.dispose());
      return warnings;
    } finally {
      process.off("warning", onWarning);
    }
  };

  it("holds the links of many concurrent requests without a leak warning", async () => {
    expect(await leakWarnings(64)).to.deep.equal([]);
  });

  it("still warns when links pile up without being disposed", async () => {
    const warnings = await leakWarnings(LINKS_BEFORE_WARNING + 1);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain("abort listeners");
  });

  const warningsWhile = async (work: () => void): Promise<string[]> => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      work();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    return warnings;
  };

  it("keeps an input's higher limit", async () => {
    const higher = new AbortController().signal;
    setMaxListeners(5_000, higher);
    // Past our threshold: an input lowered to 1,000 would warn here.
    const warnings = await warningsWhile(() =>
      Array.from({ length: LINKS_BEFORE_WARNING + 1 }, () => linkedSignal(higher)).forEach((l) =>
        l.dispose(),
      ),
    );
    expect(warnings).to.deep.equal([]);
    expect(getMaxListeners(higher)).to.equal(5_000);
  });

  it("keeps a deliberate 'unlimited' where Node can tell it from the default (20), raises the default 0 (21+)", async () => {
    const unlimited = new AbortController().signal;
    setMaxListeners(0, unlimited);
    if (ZERO_IS_DEFAULT) {
      // Node 21+: every AbortSignal starts at 0 (no warning ever); raised so that a leak warns.
      linkedSignal(unlimited).dispose();
      expect(getMaxListeners(unlimited)).to.equal(LINKS_BEFORE_WARNING);
    } else {
      // Node 20: the default is 10, so 0 was set on purpose; it stays, and nothing warns.
      const warnings = await warningsWhile(() =>
        Array.from({ length: LINKS_BEFORE_WARNING + 1 }, () => linkedSignal(unlimited)).forEach((l) =>
          l.dispose(),
        ),
      );
      expect(warnings).to.deep.equal([]);
      // (Node 20's getMaxListeners throws for an EventTarget set to 0: the value it was given.)
      expect(() => getMaxListeners(unlimited)).to.throw();
    }
  });
});
