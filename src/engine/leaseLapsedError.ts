/**
 * The state store did not answer long enough for this instance's lease to expire (a Redis
 * outage longer than LEASE_TTL). Not a takeover: a daemon waits for the store and takes the
 * lease again, instead of stopping.
 */
export class LeaseLapsedError extends Error {
  override readonly name = "LeaseLapsedError";
  constructor(pipeline: string, cause: unknown) {
    super(
      `pipeline ${pipeline}'s lease expired while the state store could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}
