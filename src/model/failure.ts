/**
 * Why something failed, in the one serialisable shape every layer uses: a delivery's error
 * (`DeliveryError.toJSON()`), a hub settlement's distinct errors, a dead-letter entry's error.
 * `code` is the machine-readable part (`CircuitOpen`, `HubLagging`, an SDK code); redacted.
 */
export interface Failure {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}
