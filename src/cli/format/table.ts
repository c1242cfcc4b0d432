/**
 * A plain text table: a header row and left-aligned columns two spaces apart, each as wide as
 * its widest cell. Right-aligns columns whose every cell is a number, so depths line up.
 */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  indent = "",
): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^-?\d+$/.test(r[i] ?? "")));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((cell, i) => {
        const width = widths[i] ?? cell.length;
        return numeric[i] === true ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}
