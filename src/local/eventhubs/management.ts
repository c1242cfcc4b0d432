import rhea, { type Message } from "rhea";
import type { HubStore } from "./hubStore.js";
import { notFoundDescription, stringProperty, type Reply } from "./requestResponse.js";

/**
 * Answers `$management` READ requests the way `managementClient.js` expects them
 * (`getEventHubProperties`, `getPartitionProperties`): a 200 reply whose body is a map with the
 * service's snake_case field names.
 */
export function answerManagement(request: Message, hubs: ReadonlyMap<string, HubStore>, host: string): Reply {
  const operation = stringProperty(request, "operation");
  const type = stringProperty(request, "type");
  const name = stringProperty(request, "name") ?? "";
  if (operation !== "READ") {
    return badRequest(`Unsupported management operation '${String(operation)}'.`);
  }
  const hub = hubs.get(name);
  if (!hub) {
    return {
      statusCode: 404,
      statusDescription: notFoundDescription(host, name),
      errorCondition: "amqp:not-found",
    };
  }
  if (type === "com.microsoft:eventhub") {
    return ok({ name: hub.name, created_at: hub.createdAt, partition_ids: [...hub.partitionIds] });
  }
  if (type === "com.microsoft:partition") {
    const partitionId = stringProperty(request, "partition") ?? "";
    const partition = hub.partition(partitionId);
    if (!partition) {
      return {
        statusCode: 404,
        statusDescription: notFoundDescription(host, `${name}/Partitions/${partitionId}`),
        errorCondition: "amqp:not-found",
      };
    }
    const properties = partition.properties();
    return ok({
      name: hub.name,
      type: "com.microsoft:partition",
      partition: partitionId,
      begin_sequence_number: rhea.types.wrap_long(properties.beginSequenceNumber),
      last_enqueued_sequence_number: rhea.types.wrap_long(properties.lastEnqueuedSequenceNumber),
      last_enqueued_offset: properties.lastEnqueuedOffset,
      last_enqueued_time_utc: properties.lastEnqueuedTime,
      is_partition_empty: properties.isEmpty,
    });
  }
  return badRequest(`Unsupported management type '${String(type)}'.`);
}

function ok(body: Record<string, unknown>): Reply {
  return { statusCode: 200, statusDescription: "OK", body };
}

function badRequest(description: string): Reply {
  return { statusCode: 400, statusDescription: description, errorCondition: "amqp:not-implemented" };
}
