/** One declared variable (see variables.ts, which lists them all). */
export interface VariableSpec {
  readonly name: string;
  /** An env value equivalent to leaving the variable unset; absent when no value is (none, per pipeline). */
  readonly unsetMeans?: string;
  /** The default as the README shows it. */
  readonly shown: string;
  readonly meaning: string;
  /** Printed as `<redacted>` by `config`. */
  readonly secret?: true;
}
