/**
 * `{ ...record, ...fields }` for the objects every line becomes, built without that literal: in
 * V8 (Node 20 and 22) a spread followed by more properties gives every resulting object a
 * hidden class of its own, about 10 µs a line where copying into a fresh object and setting
 * the fields takes 0.5 µs (measured on toLineEvents). Same keys in the same order: a field
 * the record already has is overwritten in place, as the spread would.
 *
 * A record (or fields) holding its own `__proto__` key (JSON.parse makes it an ordinary field)
 * keeps the spread: copying by assignment would call the prototype setter, dropping the field
 * and giving the copy a foreign prototype. Only own string keys of `fields` are copied (its
 * callers pass literals); `record` must be an object, as every parsed line is.
 */
export function copyWith(
  record: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  if (Object.hasOwn(record, "__proto__") || Object.hasOwn(fields, "__proto__"))
    return { ...record, ...fields };
  const copy: Record<string, unknown> = Object.assign({}, record);
  for (const key of Object.keys(fields)) copy[key] = fields[key];
  return copy;
}
