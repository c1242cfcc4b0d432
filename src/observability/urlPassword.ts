/**
 * The password of a `scheme://user:password@host…` value, raw and percent-decoded, so that both
 * forms can be registered as secrets before the value is parsed (a URL that fails to parse must
 * not leak it either). It runs to the authority's last "@", as URL parsing does: a raw "@" may
 * be part of the password, and "/", "?" and "#" may not.
 */
export function urlPasswords(value: string): string[] {
  const raw = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^\s/?#]+)@[^@\s/?#]*(?:[/?#\s]|$)/i.exec(value)?.[1];
  if (raw === undefined) return [];
  try {
    return [...new Set([raw, decodeURIComponent(raw)])];
  } catch {
    return [raw];
  }
}
