import { settleWithin } from "../concurrency/settleWithin.js";
import {
  earliestEventPosition,
  EventHubConsumerClient,
  latestEventPosition,
  type ReceivedEventData,
} from "@azure/event-hubs";
import type { HubConfig } from "../config/hubConfig.js";
import { defaultAzureCredential } from "../sinks/defaultCredential.js";

export interface ReadHubEventsOptions {
  readonly fromStart: boolean;
  /** Stop after this many events (undefined: no limit). */
  readonly limit: number | undefined;
  /** Stop after this long without an event; 0 means never (until `abortSignal`). */
  readonly idleTimeoutInMs: number;
  readonly abortSignal: AbortSignal;
  /** Per-try timeout and retries of the consumer's own AMQP operations. */
  readonly timeoutInMs: number;
  readonly onEvent: (event: ReceivedEventData, partitionId: string) => void;
  /** Default `$default`. Use a group of your own where production consumers read `$default`. */
  readonly consumerGroup?: string;
}

export type ReadEnd =
  | { readonly kind: "limit" | "idle" | "interrupted"; readonly events: number }
  | { readonly kind: "error"; readonly events: number; readonly error: unknown };

/**
 * Reads events back from every partition of a hub in a consumer group (`$default` unless told) with the
 * SDK's EventHubConsumerClient, calling `onEvent` for each, until the limit, an idle period, an
 * abort, or an error the SDK will not retry (e.g. an unknown hub). Retryable errors are left to
 * the SDK, which reconnects; if one persists, the idle timeout ends the read and reports it.
 */
export async function readHubEvents(hub: HubConfig, options: ReadHubEventsOptions): Promise<ReadEnd> {
  const consumerGroup = options.consumerGroup ?? "$default";
  const clientOptions = {
    retryOptions: { maxRetries: 1, retryDelayInMs: 500, timeoutInMs: options.timeoutInMs },
  };
  // Entra ID hubs read with DefaultAzureCredential; the identity needs "Azure Event Hubs Data Receiver".
  const client =
    hub.auth === "sas"
      ? new EventHubConsumerClient(consumerGroup, hub.connectionString, clientOptions)
      : new EventHubConsumerClient(
          consumerGroup,
          hub.fullyQualifiedNamespace,
          hub.eventHubName,
          defaultAzureCredential(),
          clientOptions,
        );
  let count = 0;
  let lastError: unknown;
  // A hub that accepts the connection and never answers raises no error the idle timeout would
  // report: without one partition opened, "no event" would read as "the hub is empty".
  let opened = false;
  let finish: (end: ReadEnd) => void = () => undefined;
  const ended = new Promise<ReadEnd>((resolve) => (finish = resolve));
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    if (options.idleTimeoutInMs <= 0) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(
      () =>
        finish(
          lastError !== undefined
            ? { kind: "error", events: count, error: lastError }
            : opened
              ? { kind: "idle", events: count }
              : { kind: "error", events: count, error: neverOpened(options.idleTimeoutInMs) },
        ),
      options.idleTimeoutInMs,
    );
  };
  const onAbort = () => finish({ kind: "interrupted", events: count });
  options.abortSignal.addEventListener("abort", onAbort, { once: true });
  armIdle();
  const subscription = client.subscribe(
    {
      processInitialize: async () => {
        opened = true;
      },
      processEvents: async (events, context) => {
        for (const event of events) {
          if (options.limit !== undefined && count >= options.limit) break;
          count += 1;
          options.onEvent(event, context.partitionId);
        }
        if (events.length > 0) {
          lastError = undefined;
          armIdle();
        }
        if (options.limit !== undefined && count >= options.limit) finish({ kind: "limit", events: count });
      },
      processError: async (error) => {
        lastError = error;
        if (!isRetryable(error)) finish({ kind: "error", events: count, error });
      },
    },
    {
      startPosition: options.fromStart ? earliestEventPosition : latestEventPosition,
      maxBatchSize: 100,
      maxWaitTimeInSeconds: 1,
    },
  );
  try {
    return await ended;
  } finally {
    clearTimeout(idleTimer);
    options.abortSignal.removeEventListener("abort", onAbort);
    // Bounded: against the local endpoint the consumer's close() sometimes never settles once
    // its socket is gone, and with nothing else pending the process would exit mid-command.
    await settleWithin(
      (async () => {
        await subscription.close();
        await client.close();
      })(),
      CLOSE_TIMEOUT_IN_MS,
    );
  }
}

const CLOSE_TIMEOUT_IN_MS = 3000;

function neverOpened(idleTimeoutInMs: number): Error {
  const error = new Error(
    `the hub never answered: no partition could be opened within ${idleTimeoutInMs / 1000} s (is the endpoint an Event Hubs namespace, and reachable?)`,
  );
  error.name = "HubUnreachableError";
  return error;
}

/** The SDK marks errors it will retry; anything else (not found, unauthorized) ends the read. */
function isRetryable(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { retryable?: unknown }).retryable === true;
}
