/**
 * Every exit code of every command, in one table. The README's "Exit codes" table is tested
 * against `EXIT_MEANINGS` (test/config/exitCodesDocumented.spec.ts), so the two cannot drift.
 * Codes above 64 follow sysexits.h, as schedulers and supervisors expect.
 */
export const EXIT = {
  ok: 0,
  /** The work could not be done: Microshare, the state store or a hub failed; the lease was lost. */
  failure: 1,
  /** Bad command-line usage (unknown pipeline, bad --from). */
  usage: 2,
  /** Settled, but some events are in a dead-letter queue (a tick), or entries remain (dlq replay, unpark). */
  deadLettered: 3,
  /** Some locations failed; their watermarks were held and those windows are re-read next run. */
  locationsFailed: 4,
  /** Delivered, but some windows may be incomplete: the view's limit hid lines no query returns. */
  incomplete: 5,
  /** EX_DATAERR: an input file (the old forwarder's state) cannot be used. */
  badInput: 65,
  /** EX_TEMPFAIL: skipped because another instance holds the pipeline's lease. */
  leaseHeld: 75,
  /** EX_CONFIG: the configuration is invalid. */
  config: 78,
  /** 128 + SIGINT: a second signal stopped the command at once. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each code means to an operator: the README's table says the same, code by code. */
export const EXIT_MEANINGS: Readonly<Record<ExitCode, string>> = {
  0: "success: every event acknowledged by every hub (a tick), the queue drained (`dlq replay`)",
  1: "the work could not be done: Microshare login or device cluster failed, state store down, a hub unreachable (`check`, `tail`), lease lost",
  2: "bad command line (unknown pipeline, bad `--from`), or `dlq purge` without `--yes` and without a terminal",
  3: "everything settled, but some events went to a hub's dead-letter queue: replay them; for `dlq replay`/`unpark`: entries remain (the summary says why)",
  4: "some locations failed; their watermarks were held and those windows are read again next run",
  5: "delivered, but some windows may be incomplete: the view's 999-record limit hid lines even at `MICROSHARE_MIN_WINDOW`",
  65: "`migrate`: the old forwarder's state file cannot be read (the message says which and why)",
  75: "skipped: another instance holds the pipeline's lease (a daemon, or a previous run that crashed less than `LEASE_TTL` ago)",
  78: "bad configuration: the message names each variable, what is wrong and a valid example",
  130: "interrupted: a second SIGINT/SIGTERM stopped the command at once (what was in flight is read or replayed again)",
};
