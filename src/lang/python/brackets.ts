/**
 * Python source structure the recipes need: the bracket closing an opening one, skipping string literals and comments
 * (a `)` inside a string or after `#` does not close anything). One place for it, used by every Python recipe.
 */

/** Index of the bracket closing the one at `open` ((, [ or {), or -1 when the text ends first. */
export function matchPythonBracket(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl - 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
