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
 * the parser. One pass over character codes (~1 s for 40 MB on a busy machine): the plan
 * loader runs it only on a file the fast parser refused or that holds an issue.
 */

/** Deepest nesting a plan file may have; Huizhou's deepest is 5. */
export const MAX_YAML_DEPTH = 64;

const NL = 10;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const DASH = 45;
const QMARK = 63;
const COLON = 58;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
/** `prev` at a line's start, and after a bracket that opened nothing. */
const LINE_START = -1;
const PLAIN = -2;

/** The first line (1-based) where `text` nests deeper than `max`, or undefined. */
export function tooDeepAt(text: string, max = MAX_YAML_DEPTH): number | undefined {
  // Fewer openers than the limit in the whole text: nothing to look at.
  let openers = 0;
  for (let i = text.indexOf('['); i !== -1 && openers <= max; i = text.indexOf('[', i + 1)) openers++;
  for (let i = text.indexOf('{'); i !== -1 && openers <= max; i = text.indexOf('{', i + 1)) openers++;
  const compactPossible = text.includes('- - ') || text.includes('? ? ') || text.includes('- ? ') || text.includes('? - ');
  if (openers <= max && !compactPossible) return undefined;

  let line = 1;
  let flow = 0;
  let quote = 0;
  let lineStart = true;
  let compact = 0;
  /** The last character code that was not a space on this line (outside quotes). */
  let prev = LINE_START;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === NL) {
      line++;
      lineStart = true;
      compact = 0;
      prev = LINE_START;
      continue;
    }
    if (quote !== 0) {
      if (quote === DQUOTE && ch === BACKSLASH) i++;
      else if (ch === quote) {
        quote = 0;
        prev = ch;
      }
      continue;
    }
    if (ch === SPACE || ch === TAB) continue;
    if (ch === HASH) {
      const before = i === 0 ? NL : text.charCodeAt(i - 1);
      if (prev === LINE_START || before === SPACE || before === TAB) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? n : end - 1;
        continue;
      }
    }
    const valueStarts =
      prev === LINE_START || prev === COLON || prev === DASH || prev === QMARK || prev === COMMA || prev === LBRACKET || prev === LBRACE;
    if (lineStart && (ch === DASH || ch === QMARK)) {
      const next = text.charCodeAt(i + 1);
      if (next === SPACE || next === TAB) {
        if (++compact + flow > max) return line;
        prev = ch;
        continue;
      }
    }
    lineStart = false;
    if (ch === LBRACKET || ch === LBRACE) {
      if (!valueStarts) {
        prev = PLAIN; // a bracket inside plain text opens nothing
        continue;
      }
      if (++flow + compact > max) return line;
    } else if ((ch === RBRACKET || ch === RBRACE) && flow > 0) flow--;
    else if ((ch === DQUOTE || ch === SQUOTE) && valueStarts) quote = ch;
    prev = ch;
  }
  return undefined;
}
