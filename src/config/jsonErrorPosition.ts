/**
 * Finds where JSON text first goes wrong, as a 0-based offset and what was expected there.
 * JSON.parse's own message depends on the Node version, often has no position, and quotes a
 * piece of the input (which, in a connection string list, may be a key), so config errors use
 * this scanner instead. Returns undefined when the text is valid JSON.
 */
export function jsonErrorPosition(text: string): { offset: number; expected: string } | undefined {
  let i = 0;
  const fail = (expected: string): never => {
    throw new JsonSyntax(i, expected);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] ?? "")) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail("a JSON value");
  };
  const string = () => {
    if (text[i] !== '"') fail("a double-quoted string (JSON does not allow single quotes)");
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if ((text.charCodeAt(i) ?? 0) < 0x20)
        fail("no raw line breaks or control characters inside a string");
      i++;
    }
    if (i >= text.length) fail("a closing double quote");
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (match === null) fail("a JSON value");
    i += match?.[0].length ?? 0;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    fail(c === "'" ? "a double-quoted string (JSON does not allow single quotes)" : "a JSON value");
  };
  const sequence = (close: string, item: () => void) => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] === ",") {
        i++;
        ws();
        if (text[i] === close) fail("another item (JSON does not allow a trailing comma)");
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`"," or "${close}"`);
    }
  };
  const array = () => sequence("]", value);
  const object = () =>
    sequence("}", () => {
      ws();
      string();
      ws();
      if (text[i] !== ":") fail('":"');
      i++;
      value();
    });
  try {
    value();
    ws();
    if (i < text.length) fail("the end of the value (there is extra text after it)");
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntax) return { offset: error.offset, expected: error.expected };
    throw error;
  }
}

class JsonSyntax extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(`expected ${expected} at ${offset}`);
  }
}
