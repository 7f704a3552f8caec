// The token scrubber: removes a secret from text a server sent back, in any spelling (any case, JSON- or URL-escaped
// per character, split by separators, base64) by plain search. Floor 2 (internal): imports only `effect`'s Redacted.
/**
 * @since 1.0.0
 * @internal
 */
import { Redacted } from "effect"

/**
 * What a redactor does to a text (the identity when there is no secret).
 *
 * @internal
 */
export type Redact = (text: string) => string

/** What stands in for the secret. */
export const placeholder = "<redacted>"

/**
 * What may sit between two characters of an echoed secret and still leave it readable: whitespace, C0/C1 control
 * characters, zero-width characters (and the same as JSON or URL escapes, once decoded by {@link decodedAt}).
 */
const isSeparator = (code: number): boolean =>
  code <= 0x20 || (code >= 0x7f && code <= 0xa0) || (code >= 0x200b && code <= 0x200f) || code === 0x2028 ||
  code === 0x2029 || code === 0xfeff || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f ||
  code === 0x205f || code === 0x3000

/** The one-letter JSON escapes that stand for a separator (`\n`, `\t`, `\0`, ...). */
const separatorEscapes = new Set(["n", "r", "t", "b", "f", "0"])

const hexValue = (text: string, from: number, digits: number): number => {
  let value = 0
  for (let i = from; i < from + digits; i++) {
    const code = text.charCodeAt(i)
    const digit = code >= 0x30 && code <= 0x39
      ? code - 0x30
      : code >= 0x61 && code <= 0x66
      ? code - 0x57
      : code >= 0x41 && code <= 0x46
      ? code - 0x37
      : -1
    if (digit < 0) return -1
    value = value * 16 + digit
  }
  return value
}

/** A separator, as {@link decodedAt} reports it: no code unit (those end at 0xffff). */
const separator = 0x10000

/** A decoded character and how many code units spelled it (1 to 6), in one number: no object per character. */
const spelled = (code: number, length: number): number => code * 8 + length

/**
 * The character a text spells at `i`, {@link spelled} with its length: a JSON escape (`\u0061`), a URL escape
 * (`%61`), or the code unit itself; {@link separator} for a separator in any of these spellings (`\n`, `%00`).
 */
const decodedAt = (text: string, i: number): number => {
  const code = text.charCodeAt(i)
  if (code === 0x5c) {
    const next = text.charAt(i + 1)
    if (next === "u" || next === "U") {
      const escaped = hexValue(text, i + 2, 4)
      if (escaped >= 0) return spelled(isSeparator(escaped) ? separator : escaped, 6)
    }
    if (separatorEscapes.has(next)) return spelled(separator, 2)
  } else if (code === 0x25) {
    const escaped = hexValue(text, i + 1, 2)
    if (escaped >= 0) return spelled(isSeparator(escaped) ? separator : escaped, 3)
  }
  return spelled(isSeparator(code) ? separator : code, 1)
}

/** A code unit as the comparison sees it: in lower case where that is one code unit too, else as it is. */
const fold = (code: number): number => {
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? code + 0x20 : code
  const lower = String.fromCharCode(code).toLowerCase()
  return lower.length === 1 ? lower.charCodeAt(0) : code
}

/** Where each prefix of `pattern` may continue after a mismatch (Knuth–Morris–Pratt), so a search never backs up. */
const fallbacks = (pattern: ReadonlyArray<number>): ReadonlyArray<number> => {
  const table = new Array<number>(pattern.length).fill(0)
  let k = 0
  for (let i = 1; i < pattern.length; i++) {
    while (k > 0 && pattern[i] !== pattern[k]) k = table[k - 1] ?? 0
    if (pattern[i] === pattern[k]) k++
    table[i] = k
  }
  return table
}

/**
 * Adds to `spans` the spans of a text that spell the secret, as `decode` reads the text: in any case, each character
 * literal or JSON- or URL-escaped, with separators between them. One pass over the text (Knuth–Morris–Pratt over the
 * decoded characters), with no regular expression and no backtracking: linear in the text and the secret, whatever
 * either holds.
 */
const spelledSpans = (
  secret: ReadonlyArray<number>,
  table: ReadonlyArray<number>,
  decode: (text: string, i: number) => number
) =>
(text: string, spans: Array<readonly [number, number]>): void => {
  const m = secret.length
  // where the last `m` characters began, round and round: where a match that ends here began
  const starts = new Array<number>(m).fill(0)
  let matched = 0
  let count = 0
  for (let i = 0; i < text.length;) {
    const decoded = decode(text, i)
    const code = decoded >> 3
    const length = decoded & 7
    if (code !== separator) {
      const folded = fold(code)
      starts[count % m] = i
      count++
      while (matched > 0 && secret[matched] !== folded) matched = table[matched - 1] ?? 0
      if (secret[matched] === folded) matched++
      if (matched === m) {
        spans.push([starts[(count - m) % m] ?? 0, i + length])
        matched = table[m - 1] ?? 0
      }
    }
    i += length
  }
}

/**
 * The code unit at `i` as it is, {@link spelled} (a separator if it is one): the second reading of a text, for an
 * echo glued to what precedes it (`%` then `0B6E…` reads as `%0B`, a separator, then `6E…` when escapes are decoded).
 */
const rawAt = (text: string, i: number): number => {
  const code = text.charCodeAt(i)
  return spelled(isSeparator(code) ? separator : code, 1)
}

/** The text with each span (overlapping ones merged) replaced by the placeholder. */
const replaceSpans = (text: string, spans: Array<readonly [number, number]>): string => {
  if (spans.length === 0) return text
  spans.sort((a, b) => a[0] - b[0])
  let out = ""
  let at = 0
  let open: readonly [number, number] | undefined
  for (const span of spans) {
    if (open !== undefined && span[0] < open[1]) {
      open = [open[0], Math.max(open[1], span[1])]
      continue
    }
    if (open !== undefined) {
      out += text.slice(at, open[0]) + placeholder
      at = open[1]
    }
    open = span
  }
  if (open !== undefined) {
    out += text.slice(at, open[0]) + placeholder
    at = open[1]
  }
  return out + text.slice(at)
}

/** Every occurrence of `part` in `text` replaced, by plain search. */
const replaceAll = (text: string, part: string): string =>
  part.length > 0 && text.includes(part) ? text.split(part).join(placeholder) : text

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

const base64 = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    for (let j = 0; j < 4; j++) out += base64Alphabet[(n >> (18 - 6 * j)) & 63]
  }
  return out
}

/**
 * The base64 characters that encode only the secret, for each of the three alignments it can have in a longer
 * encoded text (`Token <secret>` in a Basic or echoed header), in the standard and the URL alphabet.
 */
const base64Cores = (secret: string): ReadonlyArray<string> => {
  const bytes = new TextEncoder().encode(secret)
  const cores: Array<string> = []
  for (const shift of [0, 1, 2]) {
    const shifted = new Uint8Array(shift + bytes.length)
    shifted.set(bytes, shift)
    const encoded = base64(shifted)
    // chars before `skip` mix in the bytes before the secret; past `keep`, the bytes after it
    const skip = Math.ceil((shift * 8) / 6)
    const keep = Math.floor((shifted.length * 8) / 6)
    const core = encoded.slice(skip, keep)
    cores.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"))
  }
  // a short core would match innocent text
  return [...new Set(cores)].filter((core) => core.length >= 8)
}

/**
 * What stands for a text whose scrubbing left the secret in it: only a secret that overlaps the placeholder itself
 * (`e`, `act>`) can do that, and then nothing of the text is kept (any other stand-in could hold such a secret too).
 */
const withheld = ""

/**
 * A function that replaces every spelling of `secret` in a text by `<redacted>`: the case-insensitive secret with
 * separators allowed between its characters, each character possibly JSON- or URL-escaped, and its base64 encodings.
 * Built once per secret. It builds no regular expression from the secret and searches by plain comparison (KMP over
 * the decoded characters, then `includes`/`split` for the exact and base64 forms), so it is linear in the text and
 * the secret and cannot throw, whatever either holds; and what it returns never contains the secret as it is.
 *
 * @internal
 */
export const redactor = (secret: string): Redact => {
  if (secret.length === 0) return (text) => text
  const folded = Array.from({ length: secret.length }, (_, i) => fold(secret.charCodeAt(i)))
  const table = fallbacks(folded)
  // Two readings of the text: with escapes decoded, and as it is (for an echo whose first characters an escape
  // before it swallowed).
  const decoded = spelledSpans(folded, table, decodedAt)
  const raw = spelledSpans(folded, table, rawAt)
  // And plain search for the secret as it is: one that itself reads as an escape (`%41`) is found as it is written.
  const literal = [...new Set([secret, secret.toLowerCase(), secret.toUpperCase()])]
  const cores = base64Cores(secret)
  return (text) => {
    const spans: Array<readonly [number, number]> = []
    decoded(text, spans)
    // without an escape character the two readings are the same
    if (text.includes("%") || text.includes("\\")) raw(text, spans)
    let out = replaceSpans(text, spans)
    for (const form of literal) out = replaceAll(out, form)
    for (const core of cores) out = replaceAll(out, core)
    return literal.some((form) => out.includes(form)) ? withheld : out
  }
}

/** One redactor per token, built on first use: its tables are built once, not per failed answer. */
const redactors = new WeakMap<Redacted.Redacted<string>, Redact>()

/**
 * The {@link redactor} of a `Redacted` token, cached per token.
 *
 * @internal
 */
export const forToken = (token: Redacted.Redacted<string>): Redact => {
  const known = redactors.get(token)
  if (known !== undefined) return known
  const redact = redactor(Redacted.value(token))
  redactors.set(token, redact)
  return redact
}
