import { expect } from "chai";
import { lastValueFrom, of, toArray } from "rxjs";

describe("toolchain", () => {
  it("runs TypeScript specs with RxJS and chai", async () => {
    expect(await lastValueFrom(of(1, 2).pipe(toArray()))).to.deep.equal([1, 2]);
  });
});
