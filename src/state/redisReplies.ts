/** MULTI replies carry per-command errors instead of rejecting: surfaces the first, else the results. */
export function throwFirstError(replies: [error: Error | null, result: unknown][] | null): unknown[] {
  if (replies === null) throw new Error("transaction aborted");
  for (const [error] of replies) if (error !== null) throw error;
  return replies.map(([, result]) => result);
}
