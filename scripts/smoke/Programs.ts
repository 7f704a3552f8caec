// The programs the packed-tarball smoke test (scripts/smoke.ts) compiles and runs: the README's ```ts blocks of the
// Effect 4 line, and its install line. Pure functions over text (no I/O, no Effect), imported by scripts/smoke.ts only.

/**
 * What the smoke test does with one block: compile and run it, only compile it, or leave it out.
 *
 * Every ```ts block of the root README is the 1.x line's (the 0.x line's live in effect3/README.md), so every one is
 * compiled and run unless an HTML comment on the line right above its fence (invisible on GitHub) says otherwise:
 *
 * - `<!-- smoke: compile-only -->`: type-checked, never run (e.g. it serves forever or needs real Make);
 * - `<!-- smoke: skip -->`: left out entirely: only for a block that is deliberately partial (a fragment of a larger
 *   program), never to hide one that stopped compiling.
 */
export type Mode = "run" | "compile-only" | "skip"

/** One program: where it came from (for messages), the file it becomes in the temporary app, and its text. */
export interface Program {
  readonly origin: string
  readonly file: string
  readonly source: string
  readonly mode: Mode
}

const markerPattern = /<!--\s*smoke:\s*(skip|compile-only)\s*-->/

const modeOf = (line: string | undefined): Mode => {
  const marker = line === undefined ? undefined : markerPattern.exec(line)?.[1]
  return marker === "skip" ? "skip" : marker === "compile-only" ? "compile-only" : "run"
}

/** A block that imports `@effect/vitest` is a test file: vitest runs it, under a `.test.ts` name. */
export const isTest = (source: string): boolean => /from\s+["']@effect\/vitest["']/.test(source)

const fence = /^```(\S*)\s*$/

/**
 * Every ```ts (or ```typescript) block of a Markdown text, with its 1-based line and the mode its marker asks for.
 * Other languages (```sh, ...) are documentation, not programs.
 */
export const markdownBlocks = (
  markdown: string
): ReadonlyArray<{ readonly line: number; readonly code: string; readonly mode: Mode }> => {
  const lines = markdown.split("\n")
  const blocks: Array<{ line: number; code: string; mode: Mode }> = []
  let index = 0
  while (index < lines.length) {
    const language = fence.exec(lines[index] ?? "")?.[1]
    if (language === undefined) {
      index++
      continue
    }
    const end = lines.findIndex((line, at) => at > index && line.startsWith("```"))
    const close = end === -1 ? lines.length : end
    if (language === "ts" || language === "typescript") {
      blocks.push({
        line: index + 1,
        code: lines.slice(index + 1, close).join("\n") + "\n",
        mode: modeOf(index > 0 ? lines[index - 1] : undefined)
      })
    }
    index = close + 1
  }
  return blocks
}

/**
 * Top-level `const`s become exports, so that emitting declarations has to name their inferred types — the way a
 * consumer's library meets TS2742 ("cannot be named without a reference to ...") when one of ours is not exported.
 */
export const exportTopLevel = (source: string): string => source.replace(/^const /gm, "export const ")

/** The README's blocks as programs, named after the line they start on. */
export const fromReadme = (markdown: string): ReadonlyArray<Program> =>
  markdownBlocks(markdown).map(({ code, line, mode }) => ({
    origin: `README.md:${line}`,
    file: `snippets/readme-${String(line).padStart(4, "0")}${isTest(code) ? ".test" : ""}.ts`,
    source: exportTopLevel(code),
    mode
  }))

/** The package's entries, by the module of `src/` each one is: what an example's relative import becomes. */
const entries: ReadonlyArray<readonly [source: string, entry: string]> = [
  ["../src/index.js", "effect-make"],
  ["../src/node/index.js", "effect-make/node"],
  ["../src/testing/index.js", "effect-make/testing"],
  ["../src/workflows/durable.js", "effect-make/workflows/durable"]
]

const relativeImport = /from\s+["'](\.\.?\/[^"']*)["']/g

/**
 * An example of `examples/` as a program of the app: its imports of our entries (`../src/node/index.js`) become the
 * package's (`effect-make/node`), the way a user's copy of it would read. An import of any other module of `src/`
 * throws: an example that needs one shows what the package does not export.
 */
export const fromExample = (name: string, source: string): Program => {
  const rewritten = entries.reduce(
    (text, [module, entry]) => text.replaceAll(`"${module}"`, `"${entry}"`),
    source
  )
  const left = [...rewritten.matchAll(relativeImport)].map((match) => match[1])
  if (left.length > 0) throw new Error(`examples/${name} imports ${left.join(", ")}, which the package does not export`)
  return { origin: `examples/${name}`, file: `examples/${name}`, source: rewritten, mode: "run" }
}

/** A spec's package name: `@effect/platform-node@^4.1.5` → `@effect/platform-node`. */
export const nameOf = (spec: string): string => {
  const at = spec.lastIndexOf("@")
  return at > 0 ? spec.slice(0, at) : spec
}

/** A spec at the lowest version its caret range allows (`effect@^4.1.5` → `effect@4.1.5`): what we claim, so test. */
export const atFloor = (spec: string): string =>
  `${nameOf(spec)}@${spec.slice(nameOf(spec).length + 1).replace(/^\^/, "")}`

/**
 * The README's install line of the 1.x line, `npm install effect-make@1 effect@^4.1.5 ...`: the package specs after
 * `effect-make@1`. The smoke test installs exactly these (at their floors) beside the tarball, so the line a reader
 * copies is the line that is tested.
 */
export const installLine = (markdown: string): ReadonlyArray<string> => {
  const line = markdown.split("\n").map((text) => /^npm install effect-make@1 ([^#]+)/.exec(text.trim())?.[1]).find((
    specs
  ) => specs !== undefined)
  if (line === undefined) throw new Error("README.md has no `npm install effect-make@1 ...` line")
  return line.trim().split(/\s+/)
}
