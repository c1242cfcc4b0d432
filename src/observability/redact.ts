/**
 * Secret redaction: every string that leaves the process (logs, errors, CLI output, DLQ
 * entries) passes through `redact`. Two layers, because either alone misses cases:
 * known secret values registered at start-up (passwords, API keys, tokens), and patterns
 * that look like secrets wherever they come from (a SharedAccessKey inside a connection
 * string an SDK error echoes back, a Bearer header in an axios error).
 */
const knownSecrets = new Set<string>();

export const REDACTED = "[REDACTED]";

/** Remember a secret value so that `redact` masks it wherever it appears. Ignores short values. */
export function registerSecret(value: string | undefined): void {
  // Very short values (e.g. "1") would mask ordinary text; a real secret is never that short.
  if (value !== undefined && value.length >= 4) knownSecrets.add(value);
}

const SECRET_PATTERNS: readonly RegExp[] = [
  // Not an example's "<key>" placeholder: a real key is base64, which has no "<".
  /(SharedAccessKey=)(?!<[a-z-]+>)[^;"'\s]+/gi,
  /(SharedAccessSignature\s+)[^"'\s]+/gi,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  // Not our own messages about such a variable ("MICROSHARE_PASSWORD: is missing", an example's
  // "<your password>" placeholder): a registered secret is masked whatever the text around it.
  /((?:password|passwd|access_token|client_secret|api[_-]?key|client_id)["']?\s*[=:]\s*["']?)(?!(?:is|are|must|was)\b|<)[^&"'\s,;}]+/gi,
  // Up to the authority's last "@": a password may hold a raw "@" (redis://u:p@ss@host), never a
  // raw "/", "?" or "#". Quotes end it too (JSON); a password with one is a registered secret.
  /(rediss?:\/\/[^:/@\s]*:)[^\s"'/?#]+(@)/gi,
  /(PLAY_SESSION=)[^;"'\s]+/gi,
];

/** Returns `text` with every registered secret and every secret-looking pattern masked. */
export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join(REDACTED);
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, prefix: string, suffix?: string) =>
      typeof suffix === "string" ? `${prefix}${REDACTED}${suffix}` : `${prefix}${REDACTED}`,
    );
  }
  return out;
}

/**
 * Deep-redacts a JSON-like value (strings anywhere inside it), for log metadata and DLQ entries.
 * An Error becomes its name, message, code and own fields: its message and stack are not
 * enumerable, so it would otherwise log as `{}`. (The stack is left out: the message says what.)
 */
export function redactValue<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (value instanceof Error) return redactValue(errorFields(value)) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactValue(v)) as T;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v);
    return out as T;
  }
  return value;
}

function errorFields(error: Error): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  return {
    ...Object.fromEntries(Object.entries(error)),
    name: error.name,
    message: error.message,
    ...(code === undefined ? {} : { code }),
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  };
}
