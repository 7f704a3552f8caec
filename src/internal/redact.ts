// Removing a secret from text a server sent back, in any spelling a server or a log may give it: any case, JSON- or
// URL-escaped per character, split by control characters or whitespace, or base64-encoded. Internal to MakeClient;
// imports only `effect`'s Redacted.
/**
 * @since 0.1.0
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

const hex2 = (code: number) => code.toString(16).padStart(2, "0")
const hex4 = (code: number) => code.toString(16).padStart(4, "0")
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")

/**
 * What may sit between two characters of an echoed secret and still leave it readable: whitespace, C0/C1 control
 * characters, zero-width characters, and the same as JSON or URL escapes (`\u0000`, `\n`, `%00`).
 */
const separator = String
  .raw`(?:[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]|\\u00[01][0-9a-f]|\\u007f|\\[nrtbf0]|%[01][0-9a-f]|%20|%7f)*`

/** One character of the secret in any case, literal or escaped (`\u0061`, `%61`). */
const spellings = (char: string): string => {
  const variants = new Set([char, char.toLowerCase(), char.toUpperCase()])
  const alternatives = [escapeRegExp(char)]
  for (const variant of variants) {
    const code = variant.charCodeAt(0)
    if (variant.length !== 1) continue
    alternatives.push(String.raw`\\u${hex4(code)}`)
    if (code < 0x80) alternatives.push(`%${hex2(code)}`)
  }
  return `(?:${alternatives.join("|")})`
}

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
 * A function that replaces every spelling of `secret` in a text by `<redacted>`: the case-insensitive secret with
 * separators allowed between its characters, each character possibly JSON- or URL-escaped, and its base64 encodings.
 * Built once per secret (the pattern is compiled once); linear in the text, as no character of a secret can also be a
 * separator (a token with whitespace or control characters is refused by `MakeConfig`).
 *
 * @internal
 */
export const redactor = (secret: string): Redact => {
  if (secret.length === 0) return (text) => text
  const pattern = new RegExp([...secret].map(spellings).join(separator), "gi")
  const cores = base64Cores(secret)
  return (text) => {
    let out = text.replace(pattern, placeholder)
    for (const core of cores) if (out.includes(core)) out = out.split(core).join(placeholder)
    return out
  }
}

/** One redactor per token, built on first use: its pattern is compiled once, not per failed answer. */
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
