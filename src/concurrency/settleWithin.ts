/**
 * Waits for `work` at most `timeoutInMs`: true when it settled (fulfilled or rejected) in
 * time, false when it was abandoned; `work` goes on unobserved (its rejection is swallowed). For
 * clean-ups that a peer may never answer. The timer holds the process open while it waits: a
 * close whose socket is already gone may leave nothing else pending, and the command would end
 * mid-await.
 */
export async function settleWithin(work: Promise<unknown>, timeoutInMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutInMs);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
