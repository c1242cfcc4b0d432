/**
 * What the Microshare source tells observability: every request with its outcome and duration,
 * and every retry. Declared here, where it is implemented (the metrics), so observability does
 * not depend on the source.
 */
export interface SourceObserver {
  onRequest?(endpoint: string, outcome: string, durationInMs: number): void;
  onRetry?(endpoint: string, code: string): void;
}
