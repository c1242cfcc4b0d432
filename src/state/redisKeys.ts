/**
 * Key layout under a prefix (default "msp:"). Every key of a pipeline carries the pipeline in a
 * hash tag, `msp:{peoplecounter}:…`, so the keys one Lua script touches share a cluster slot.
 */
export const DEFAULT_KEY_PREFIX = "msp:";

export type DeadLetterList = "queue" | "inflight" | "parked";

export class RedisKeys {
  constructor(readonly prefix: string = DEFAULT_KEY_PREFIX) {}

  /** Hash: location → watermark (epoch ms). */
  watermarks(pipeline: string): string {
    return this.of(pipeline, "watermarks");
  }

  /** Hash: location → density estimate (lines per hour). */
  densities(pipeline: string): string {
    return this.of(pipeline, "densities");
  }

  /** Sorted set: delivered id, score = keep-until (epoch ms). */
  delivered(pipeline: string, location: string): string {
    return this.of(pipeline, `delivered:${location}`);
  }

  /** Set of the locations that have a delivered set (so pruning finds them without SCAN). */
  deliveredLocations(pipeline: string): string {
    return this.of(pipeline, "delivered-locations");
  }

  /** Hash: counter name → integer. */
  counters(pipeline: string): string {
    return this.of(pipeline, "counters");
  }

  /** String: epoch ms of the resume point set by `migrate`. */
  resumeFrom(pipeline: string): string {
    return this.of(pipeline, "resume-from");
  }

  lastTick(pipeline: string): string {
    return this.of(pipeline, "last-tick");
  }

  /** Hash {owner, fence} with a PX expiry. */
  lease(pipeline: string): string {
    return this.of(pipeline, "lease");
  }

  /** INCR counter: never expires, so a fence is never handed out twice. */
  leaseFence(pipeline: string): string {
    return this.of(pipeline, "lease-fence");
  }

  cached(key: string): string {
    return `${this.prefix}cache:${key}`;
  }

  deadLetters(pipeline: string, hub: string, list: DeadLetterList): string {
    return this.of(pipeline, `dlq:${hub}:${list}`);
  }

  /** Set of hub names that ever had a dead letter (filtered by depth when read). */
  deadLetterHubs(pipeline: string): string {
    return this.of(pipeline, "dlq-hubs");
  }

  private of(pipeline: string, rest: string): string {
    return `${this.prefix}{${pipeline}}:${rest}`;
  }
}
