/**
 * libfaketime's variables, passed on to child processes when the suite itself runs under it:
 * `FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f +6h npm test` checks the tests at another hour of
 * the day (window boundaries fall at midnight UTC, so some paths only run at some hours). A child
 * left on the real clock would read windows the faked simulator holds no data for. Relative
 * offsets only (`+6h`): an absolute `@…` time would restart at that instant in every child.
 */
export function fakeClockEnv(): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (name.startsWith("FAKETIME") || name === "LD_PRELOAD")) passed[name] = value;
  }
  return passed.FAKETIME === undefined ? {} : passed;
}
