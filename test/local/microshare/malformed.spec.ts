import { expect } from "chai";
import type { MicroshareSimulator } from "../../../src/local/microshare/microshareSimulator.js";
import { get, grantToken, pcViewParams, startSim, viewUrl } from "./simulatorTestKit.js";

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("MicroshareSimulator malformed responses", () => {
  let sim: MicroshareSimulator;
  let token: string;
  let url: string;

  beforeEach(async () => {
    ({ sim } = await startSim());
    token = await grantToken(sim);
    url = viewUrl(
      sim,
      pcViewParams(sim, "Building A", "2025-11-13T10:00:00.000Z", "2025-11-13T10:59:59.999Z"),
    );
  });
  afterEach(() => sim.close());

  it("not-json: an HTML page with status 200", async () => {
    sim.configure({ malformed: { kind: "not-json", endpoint: "view" } });
    const res = await get(url, token);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^text\/html/);
    expect(parses(res.text)).to.equal(false);
  });

  it("missing-objs: the envelope without objs", async () => {
    sim.configure({ malformed: { kind: "missing-objs", endpoint: "view" } });
    const body = JSON.parse((await get(url, token)).text) as Record<string, unknown>;
    expect(body).to.have.property("meta");
    expect(body).not.to.have.property("objs");
  });

  it("line-not-array: each group's line is an object", async () => {
    sim.configure({ malformed: { kind: "line-not-array", endpoint: "view" } });
    const body = JSON.parse((await get(url, token)).text) as { objs: { data: { line: unknown } }[] };
    expect(body.objs).to.have.length(4);
    for (const obj of body.objs) {
      expect(Array.isArray(obj.data.line)).to.equal(false);
      expect(Object.keys(obj.data.line as object)).to.deep.equal(["0", "1", "2", "3"]);
    }
  });

  it("line-not-array on devices and share lists turns their arrays into objects", async () => {
    sim.configure({ malformed: { kind: "line-not-array", endpoint: "device" } });
    const device = JSON.parse(
      (
        await get(
          `${sim.url}/device/io.microshare.peoplecounter.packed/${sim.ids.peopleCounterClusterId}`,
          token,
        )
      ).text,
    ) as { objs: { data: { devices: unknown } }[] };
    expect(Array.isArray(device.objs[0]?.data.devices)).to.equal(false);
    sim.configure({ malformed: { kind: "line-not-array", endpoint: "share" } });
    const share = JSON.parse(
      (await get(`${sim.url}/share/io.microshare.peoplecounter.unpacked.event?perPage=2`, token)).text,
    ) as { objs: unknown };
    expect(Array.isArray(share.objs)).to.equal(false);
  });

  it("extended-json-dates: ISO times become {$date: ms}", async () => {
    sim.configure({ malformed: { kind: "extended-json-dates", endpoint: "view" } });
    const body = JSON.parse((await get(url, token)).text) as {
      objs: { data: { line: { time: unknown }[] } }[];
    };
    expect(body.objs[0]?.data.line[0]?.time).to.deep.equal({ $date: Date.parse("2025-11-13T10:00:00.000Z") });
  });

  it("truncated-json: half a body with a matching Content-Length, only on the listed calls", async () => {
    sim.configure({ malformed: { kind: "truncated-json", endpoint: "view", onCalls: [2] } });
    const whole = await get(url, token);
    const cut = await get(url, token);
    const again = await get(url, token);
    expect(parses(whole.text)).to.equal(true);
    expect(cut.status).to.equal(200);
    expect(parses(cut.text)).to.equal(false);
    expect(cut.text).to.equal(whole.text.slice(0, Math.floor(whole.text.length / 2)));
    expect(Number(cut.headers.get("content-length"))).to.equal(Buffer.byteLength(cut.text));
    expect(again.text).to.equal(whole.text);
  });

  it("leaves error responses alone", async () => {
    sim.configure({ malformed: { kind: "not-json", endpoint: "view" } });
    const res = await get(url.replace("field1=", "nofield="), token);
    expect(res.status).to.equal(503);
    expect(res.text).to.equal("[Error: unresolvable property or identifier: field1]");
  });
});
