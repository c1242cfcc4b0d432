/** Process exit codes (README "Exit codes"). Tick outcomes add 3 and 4, see TICK_EXIT_CODES. */
export const EXIT = {
  ok: 0,
  failure: 1,
  /** Bad command-line usage (unknown pipeline, bad --from). */
  usage: 2,
  /** EX_DATAERR from sysexits.h: an input file (the old forwarder's state) cannot be used. */
  badInput: 65,
  /** EX_TEMPFAIL: `--once` skipped because another instance holds the pipeline's lease. */
  leaseHeld: 75,
  /** EX_CONFIG from sysexits.h: the configuration is invalid. */
  config: 78,
} as const;
