import { createInterface } from "node:readline/promises";

/**
 * Asks a yes/no question on the terminal; true only for "y" or "yes". The caller checks
 * `process.stdin.isTTY` first: without a terminal there is nobody to answer, and waiting on a
 * closed or piped stdin would hang a script or read its data as an answer.
 */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
