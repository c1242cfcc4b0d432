/**
 * The application properties the old Python forwarder put on every event, kept so that its
 * consumers' filters (`source = 'microshare-forwarder'`) keep matching: `device_id` is the
 * event's own `device_id` field or "" (view lines have none), `source` is fixed, and `building`
 * is `location.building` when the event carries one (view lines do not).
 */
export function forwarderProperties(body: Readonly<Record<string, unknown>>): Record<string, string> {
  const deviceId = typeof body.device_id === "string" ? body.device_id : "";
  const location = body.location;
  const building =
    location !== null &&
    typeof location === "object" &&
    typeof (location as { building?: unknown }).building === "string"
      ? (location as { building: string }).building
      : undefined;
  return {
    device_id: deviceId,
    source: FORWARDER_SOURCE,
    ...(building === undefined ? {} : { building }),
  };
}

export const FORWARDER_SOURCE = "microshare-forwarder";
