import { EventHubProducerClient } from "@azure/event-hubs";
import { PEOPLE_COUNTER_RECTYPE, peopleCounterViewParams } from "../src/pipelines/peopleCounter.js";

/** Arguments (JSON in argv[2]). */
export interface NaiveArgs {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly apiKey: string;
  readonly clusterId: string;
  readonly viewId: string;
  readonly from: string;
  readonly to: string;
  /** name → connection string. */
  readonly hubs: Readonly<Record<string, string>>;
}

export interface NaiveResult {
  readonly events: number;
  readonly seconds: number;
}

const RECTYPE = PEOPLE_COUNTER_RECTYPE;
const BATCH = 100;

async function getJson(url: string, init: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${response.status}`);
  return response.json();
}

/**
 * The old Python forwarder's shape, for comparison: log in, read the device cluster, then ONE view
 * call per building for the whole range, one building after the other; flatten; and send in
 * batches of 100, each through a NEW producer that is closed right after. No state, no retries.
 */
async function forward(args: NaiveArgs): Promise<number> {
  const tokenUrl = new URL("/oauth2/token", args.url);
  for (const [k, v] of Object.entries({
    username: args.username,
    password: args.password,
    client_id: args.apiKey,
    grant_type: "password",
    scope: "ALL:ALL",
  }))
    tokenUrl.searchParams.set(k, v);
  const token = ((await getJson(tokenUrl.href, { method: "POST" })) as { access_token: string }).access_token;
  const headers = { Authorization: `Bearer ${token}` };
  const cluster = (await getJson(
    `${args.url}/device/io.microshare.peoplecounter.packed/${args.clusterId}?details=true`,
    { headers },
  )) as { objs: { data: { devices: { meta: { location: string[] } }[] } }[] };
  const buildings = [
    ...new Set(cluster.objs.flatMap((o) => o.data.devices.map((d) => d.meta.location[0] ?? ""))),
  ].filter((b) => b !== "");

  let sent = 0;
  for (const building of buildings) {
    const view = new URL("/share/io.microshare.fm.master.agg/", args.url);
    const params = {
      id: args.viewId,
      ...peopleCounterViewParams('["people"]'),
      loc1: building,
      from: args.from,
      to: args.to,
    };
    for (const [k, v] of Object.entries(params)) view.searchParams.set(k, v);
    const body = (await getJson(view.href, { headers })) as {
      objs: { data: { _id: { tags: string[] }; line: Record<string, unknown>[] } }[];
    };
    const events = body.objs.flatMap((o) =>
      o.data.line.map((line) => ({ ...line, recType: RECTYPE, _location_tags: o.data._id.tags })),
    );
    for (const connectionString of Object.values(args.hubs)) {
      for (let i = 0; i < events.length; i += BATCH) {
        const producer = new EventHubProducerClient(connectionString);
        try {
          const batch = await producer.createBatch();
          for (const body of events.slice(i, i + BATCH)) batch.tryAdd({ body });
          await producer.sendBatch(batch);
        } finally {
          await producer.close();
        }
      }
    }
    sent += events.length;
  }
  return sent;
}

const args = JSON.parse(process.argv[2] ?? "{}") as NaiveArgs;
const started = process.hrtime.bigint();
const events = await forward(args);
const result: NaiveResult = { events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
process.stdout.write(`${JSON.stringify(result)}\n`);
