import { expect } from "chai";
import type { MicroshareSimulator } from "../../../src/local/microshare/microshareSimulator.js";
import { get, grantToken, startSim } from "./simulatorTestKit.js";

interface ClusterBody {
  objs: { owner: { org: string }; data: { devices: { meta: { location: string[] } }[] } }[];
}

describe("MicroshareSimulator device clusters", () => {
  let sim: MicroshareSimulator;
  let token: string;

  beforeEach(async () => {
    ({ sim } = await startSim({
      buildings: 28,
      floorsPerBuilding: 2,
      roomsPerFloor: 3,
      ownerOrg: "com.acme.ACMEID",
      snapshotLocationPrefix: "ACME ",
    }));
    token = await grantToken(sim);
  });
  afterEach(() => sim.close());

  async function cluster(recType: string, id: string): Promise<ClusterBody> {
    const res = await get(`${sim.url}/device/${recType}/${id}?details=true`, token);
    expect(res.status).to.equal(200);
    return JSON.parse(res.text) as ClusterBody;
  }

  it("lists every room as a device located [building, floor, room], owned by ownerOrg", async () => {
    const body = await cluster("io.microshare.peoplecounter.packed", sim.ids.peopleCounterClusterId);
    const obj = body.objs[0];
    expect(obj?.owner.org).to.equal("com.acme.ACMEID");
    const locations = obj?.data.devices.map((d) => d.meta.location) ?? [];
    expect(locations).to.have.length(28 * 2 * 3);
    expect(new Set(locations.map((l) => l.join("|"))).size).to.equal(locations.length);
    expect([...new Set(locations.map((l) => l[0]))]).to.deep.equal(sim.buildings);
    expect(sim.buildings.slice(0, 2)).to.deep.equal(["Building A", "Building B"]);
    expect(sim.buildings.slice(25)).to.deep.equal(["Building Z", "Building 27", "Building 28"]);
    expect(locations.every((l) => l.length === 3)).to.equal(true);
  });

  it("names buildings with the prefix in the snapshot cluster only", async () => {
    const body = await cluster("io.microshare.lake.snapshot.packed", sim.ids.snapshotClusterId);
    const buildings = new Set(body.objs[0]?.data.devices.map((d) => d.meta.location[0]));
    expect([...buildings]).to.deep.equal(sim.buildings.map((b) => `ACME ${b}`));
  });

  it("answers 404 in plain text for an unknown cluster id", async () => {
    const res = await get(
      `${sim.url}/device/io.microshare.peoplecounter.packed/000000000000000000000000`,
      token,
    );
    expect(res.status).to.equal(404);
    expect(res.text).to.equal("io.microshare.utils.NotFoundException: Record not found or inaccessible.");
  });
});
