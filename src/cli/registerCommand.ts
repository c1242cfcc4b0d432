import type { Argv } from "yargs";

/** Receives the exit code a command's handler decided on (the entry point sets it on the process). */
export type SetExitCode = (code: number) => void;

/** Adds one command (its options, help and handler) to the yargs parser. */
export type RegisterCommand = (y: Argv, setExitCode: SetExitCode) => Argv;
