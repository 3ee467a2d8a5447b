/**
 * How deep a YAML text nests, read before it is parsed. The YAML parsers
 * recurse once per level: a file nested thousands of levels deep (`[[[[…` or
 * `- - - - …`) exhausts the stack, and the parser's own error is then "Maximum
 * call stack size exceeded" — or, on a thinner stack, the process dies. A plan
 * file nests a handful of levels; anything past {@link MAX_YAML_DEPTH} is
 * refused with its line before any parser sees it.
 *
 * Counted: flow collections (`[`, `{` where a value starts: after a line start,
 * `:`, `-`, `?`, `,` or another opener; not inside quotes or comments) and
 * compact block sequences or keys (`- - -`, `? ?` at a line's start). Nesting
 * by indentation alone costs the square of its depth in bytes and is left to
 * the parser.
 */

/** Deepest nesting a plan file may have; Huizhou's deepest is 5. */
export const MAX_YAML_DEPTH = 64;

/** The first line (1-based) where `text` nests deeper than `max`, or undefined. */
export function tooDeepAt(text: string, max = MAX_YAML_DEPTH): number | undefined {
  let line = 1;
  let flow = 0;
  let quote: '"' | "'" | undefined;
  let lineStart = true;
  let compact = 0;
  /** The last character that was not a space on this line (outside quotes), or '' at a line's start. */
  let prev = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      lineStart = true;
      compact = 0;
      prev = '';
      continue;
    }
    if (quote !== undefined) {
      if (quote === '"' && ch === '\\') i++;
      else if (ch === quote) {
        quote = undefined;
        prev = ch;
      }
      continue;
    }
    if (ch === ' ' || ch === '\t') continue;
    if (ch === '#' && (prev === '' || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    const valueStarts = prev === '' || prev === ':' || prev === '-' || prev === '?' || prev === ',' || prev === '[' || prev === '{';
    if (lineStart && (ch === '-' || ch === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
      if (++compact + flow > max) return line;
      prev = ch;
      continue;
    }
    lineStart = false;
    if ((ch === '[' || ch === '{') && valueStarts) {
      if (++flow + compact > max) return line;
    } else if ((ch === ']' || ch === '}') && flow > 0) flow--;
    else if ((ch === '"' || ch === "'") && valueStarts) quote = ch;
    // A bracket inside plain text opens nothing: it must not make the next one look like a value's start.
    prev = (ch === '[' || ch === '{') && !valueStarts ? '.' : ch;
  }
  return undefined;
}
