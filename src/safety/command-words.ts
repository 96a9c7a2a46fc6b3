/**
 * Splits a proposed command line into the argv of each command of an `&&` chain, without a shell. Pure.
 *
 * Only plain words are accepted: letters, digits and the punctuation package specs and paths use, and `'…'` quoting
 * (literal, as in a POSIX shell) for a word that needs other characters. Everything a shell would interpret — `;`,
 * `|`, `&` (other than a lone `&&` between commands), backquotes, `$`, redirections, double quotes, backslashes,
 * globs, newlines — is refused, so the argv run is exactly what a person reading the command would expect.
 */
export type SplitCommand = { ok: true; chain: string[][] } | { ok: false; reason: string };

/** Characters a word may hold outside quotes. */
const PLAIN = /[A-Za-z0-9@%+=:,./_~^\-[\]]/;
/** At most this many commands joined by `&&` (the recipes join two: `go get … && go mod tidy`). */
export const MAX_CHAIN = 2;

export function splitCommand(text: string): SplitCommand {
  if (text.trim() === '') return { ok: false, reason: 'empty command' };
  const chain: string[][] = [[]];
  let word: string | undefined;
  const endWord = () => {
    if (word !== undefined) chain[chain.length - 1]!.push(word);
    word = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ') {
      endWord();
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return { ok: false, reason: "an opening quote ' has no closing quote" };
      const quoted = text.slice(i + 1, close);
      if (/[\0-\x1f\x7f]/.test(quoted)) return { ok: false, reason: 'control characters are not allowed in a command' };
      word = (word ?? '') + quoted;
      i = close;
    } else if (
      c === '&' &&
      text[i + 1] === '&' &&
      word === undefined &&
      (i + 2 === text.length || text[i + 2] === ' ')
    ) {
      if (chain[chain.length - 1]!.length === 0) return { ok: false, reason: '`&&` must join two commands' };
      chain.push([]);
      i++;
    } else if (PLAIN.test(c)) {
      word = (word ?? '') + c;
    } else {
      return {
        ok: false,
        reason: `shell metacharacters (; | & \` $( ) > < " \\ globs, tabs, newlines) are not allowed, only \`&&\` between two commands and '…' quoting: found ${JSON.stringify(c)}`,
      };
    }
  }
  endWord();
  if (chain[chain.length - 1]!.length === 0) return { ok: false, reason: '`&&` must join two commands' };
  if (chain.length > MAX_CHAIN)
    return { ok: false, reason: `\`&&\` may join at most two commands (found ${chain.length})` };
  return { ok: true, chain };
}
