import { expect } from "chai";
import { lastValueFrom } from "rxjs";
import {
  collect,
  HOUR_WINDOW,
  PC_CLUSTER_RECTYPE,
  SNAPSHOT_CLUSTER_RECTYPE,
  snapshotQuery,
  useHarness,
} from "./sourceTestKit.js";

describe("MicroshareSource locations", () => {
  const h = useHarness();

  const peopleCounterCluster = () => ({
    packedRecType: PC_CLUSTER_RECTYPE,
    clusterId: h.sim.ids.peopleCounterClusterId,
    locationPrefix: "",
  });

  it("yields the distinct buildings of the cluster, sorted, each with its number of devices", async () => {
    const sim = await h.start({ buildings: 4, floorsPerBuilding: 3 });
    const locations = await lastValueFrom(h.source().locations$(peopleCounterCluster()));
    expect(locations).to.deep.equal(
      ["Building A", "Building B", "Building C", "Building D"].map((name) => ({
        name,
        clusterName: name,
        devices: sim.roomsIn(name),
      })),
    );
    expect(sim.roomsIn("Building A")).to.be.above(1);
  });

  it("yields no locations, with a warning, when owner.org does not contain the identity", async () => {
    await h.start({ ownerOrg: "com.other.OTHERORG" });
    const locations = await lastValueFrom(
      h.source({ identity: "SIMORG" }).locations$(peopleCounterCluster()),
    );
    expect(locations).to.deep.equal([]);
    const warnings = h.warnings();
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain("com.other.OTHERORG").and.to.contain("MICROSHARE_IDENTITY");
  });

  it("matches the identity case-insensitively", async () => {
    await h.start({ ownerOrg: "com.acme.ACMEID" });
    const locations = await lastValueFrom(
      h.source({ identity: "acmeid" }).locations$(peopleCounterCluster()),
    );
    expect(locations.map((l) => l.name)).to.deep.equal(["Building A", "Building B", "Building C"]);
    expect(h.warnings()).to.deep.equal([]);
    // The identity also selects the organisation context of the login.
    expect(h.sim.requests.find((r) => r.endpoint === "token")?.query.identity).to.equal("acmeid");
  });

  it("strips the snapshot cluster's location prefix, and the stripped name finds snapshot lines", async () => {
    const sim = await h.start({ snapshotLocationPrefix: "ACME " });
    const source = h.source();
    const locations = await lastValueFrom(
      source.locations$({
        packedRecType: SNAPSHOT_CLUSTER_RECTYPE,
        clusterId: sim.ids.snapshotClusterId,
        locationPrefix: "ACME ",
      }),
    );
    expect(locations.map((l) => [l.clusterName, l.name])).to.deep.equal([
      ["ACME Building A", "Building A"],
      ["ACME Building B", "Building B"],
      ["ACME Building C", "Building C"],
    ]);
    const [first] = locations;
    const results = await collect(source.viewResults$(snapshotQuery(sim), first?.name ?? "", HOUR_WINDOW));
    const times = results.flatMap((r) => r.groups.flatMap((g) => g.lines.map((l) => l.time)));
    // One hourly snapshot per room (4 rooms) in the hour.
    expect(times).to.deep.equal(Array(4).fill(HOUR_WINDOW.from.toISOString()));
    expect(sim.snapshotLines("Building A", HOUR_WINDOW.from, HOUR_WINDOW.to)).to.have.length(4);
  });
});
