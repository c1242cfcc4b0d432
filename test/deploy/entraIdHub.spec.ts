import { expect } from "chai";
import { loadConfig } from "../../src/config/loadConfig.js";
import { producerFactory } from "../../src/sinks/createProducer.js";

// No Azure here: these tests build producers and never send (a send would ask for a token).
const NAMESPACE = "contoso-occupancy.servicebus.windows.net";

function entraIdConfig() {
  return loadConfig({
    EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([
      { name: "internal", fullyQualifiedNamespace: NAMESPACE, eventHubName: "occupancy" },
      "Endpoint=sb://other.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=<KEY>;EntityPath=client",
    ]),
  });
}

describe("Entra ID hubs", () => {
  it("parse from EVENT_HUB_CONNECTION_STRINGS with no secret, next to a SAS hub", () => {
    const [entra, sas] = entraIdConfig().hubs;
    expect(entra).to.deep.equal({
      auth: "entra-id",
      name: "internal",
      paused: false,
      fullyQualifiedNamespace: NAMESPACE,
      eventHubName: "occupancy",
      configuredBy: "EVENT_HUB_CONNECTION_STRINGS item 1",
    });
    expect(sas?.auth).to.equal("sas");
  });

  it("get a producer on DefaultAzureCredential without any key and without connecting", async () => {
    const config = entraIdConfig();
    const hub = config.hubs[0];
    if (hub === undefined) throw new Error("no hub parsed");
    const create = producerFactory(hub, config.delivery);
    const client = create();
    try {
      expect(client.fullyQualifiedNamespace).to.equal(NAMESPACE);
      expect(client.eventHubName).to.equal("occupancy");
    } finally {
      await client.close();
    }
  });
});
