import { expect } from "chai";
import { loadConfig } from "../../src/config/loadConfig.js";
import { producerFactory, type ProducerFactory } from "../../src/sinks/createProducer.js";

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
    });
    expect(sas?.auth).to.equal("sas");
  });

  it("get a producer on DefaultAzureCredential without any key and without connecting", async function () {
    const config = entraIdConfig();
    const hub = config.hubs[0];
    if (hub === undefined) throw new Error("no hub parsed");
    let create: ProducerFactory;
    try {
      create = producerFactory(hub, config.delivery);
    } catch (error) {
      // Until the Entra ID producer lands in src/sinks/entraIdProducer.ts (owned by the sinks
      // work; patch in the issue 5 deployment report), the factory refuses these hubs.
      if (error instanceof Error && /not yet supported/.test(error.message)) this.skip();
      throw error;
    }
    const client = create();
    try {
      expect(client.fullyQualifiedNamespace).to.equal(NAMESPACE);
      expect(client.eventHubName).to.equal("occupancy");
    } finally {
      await client.close();
    }
  });
});
