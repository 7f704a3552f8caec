// The programs the packed-tarball smoke test compiles and runs: README ```ts blocks and examples/ files, rewritten to
// import the package the way a user does. Pure functions over text (no I/O), so they are unit-tested on their own.

/**
 * What the smoke test does with one program: compile and run it, only compile it, or leave it out.
 *
 * The marker for a README block is an HTML comment on the line right above its fence (invisible on GitHub);
 * for an example file, a line comment anywhere in it:
 *
 * - `<!-- smoke: compile-only -->` / `// smoke: compile-only` — type-checked, never run (e.g. it serves forever or
 *   needs real Make);
 * - `<!-- smoke: skip -->` / `// smoke: skip` — left out entirely: only for a block that is deliberately partial
 *   (a fragment of a larger program), never to hide one that stopped compiling.
 */
export type Mode = "run" | "compile-only" | "skip"

/** One program: where it came from (for messages), the file it becomes in the temporary project, and its text. */
export interface Program {
  readonly origin: string
  readonly file: string
  readonly source: string
  readonly mode: Mode
}

const markerPattern = /smoke:\s*(skip|compile-only)\b/

const modeOf = (text: string | undefined): Mode => {
  const match = text === undefined ? null : markerPattern.exec(text)
  return match?.[1] === "skip" ? "skip" : match?.[1] === "compile-only" ? "compile-only" : "run"
}

/** A program that imports `@effect/vitest` is a test file: vitest runs it, under a `.test.ts` name. */
export const isTest = (source: string): boolean => /from\s+["']@effect\/vitest["']/.test(source)

const fence = /^```(\S*)\s*$/

/**
 * Every ```ts (or ```typescript) block of a Markdown text, with its 1-based line and the mode its marker asks for.
 * Other languages (```sh, ```yaml, ...) are documentation, not programs.
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
      const code = lines.slice(index + 1, close).join("\n") + "\n"
      blocks.push({ line: index + 1, code, mode: modeOf(index > 0 ? lines[index - 1] : undefined) })
    }
    index = close + 1
  }
  return blocks
}

/**
 * Imports of the repository's sources (`../src/index.js`, `../../src/testing/index.js`, `../src/MakeError.js`)
 * become the package's own entries (`effect-make`, `effect-make/testing`, `effect-make/MakeError`), so an example is
 * checked against what the tarball exports, not against the source tree.
 */
export const toPackageImports = (source: string, packageName: string): string =>
  source.replace(/(["'])(?:\.\.\/)+src\/([^"']*?)\.js\1/g, (_match, quote: string, path: string) => {
    const entry = path === "index" ? "" : `/${path.replace(/\/index$/, "")}`
    return `${quote}${packageName}${entry}${quote}`
  })

/**
 * Top-level `const`s become exports, so that emitting declarations has to name their inferred types — the way a
 * consumer's library meets TS2742 ("cannot be named without a reference to ...") when a type is not exported.
 */
export const exportTopLevel = (source: string): string => source.replace(/^const /gm, "export const ")

/** The README's blocks as programs, named after the line they start on. */
export const fromReadme = (markdown: string, packageName: string): ReadonlyArray<Program> =>
  markdownBlocks(markdown).map(({ code, line, mode }) => ({
    origin: `README.md:${line}`,
    file: `snippets/readme-${String(line).padStart(4, "0")}${isTest(code) ? ".test" : ""}.ts`,
    source: exportTopLevel(toPackageImports(code, packageName)),
    mode
  }))

/** One examples/ file as a program, at the same relative path in the temporary project. */
export const fromExample = (path: string, source: string, packageName: string): Program => ({
  origin: path,
  file: path,
  source: exportTopLevel(toPackageImports(source, packageName)),
  mode: modeOf(source)
})

/**
 * The README's two install lines, `npm install effect-make ...`: the library's (the first that does not name
 * `@effect/cli`) and the command's (the first that does), each as the package specs after `effect-make`
 * (`effect@^3.22.2`, ...). The smoke test installs them in turn: the library's line alone must give the command's
 * one-line message, and the command's line a command that starts.
 */
export const installLines = (
  markdown: string
): { readonly library: ReadonlyArray<string>; readonly command: ReadonlyArray<string> } => {
  const lines = markdown.split("\n").flatMap((line) => {
    const match = /^npm install effect-make(?:@\S+)? ([^#]+)/.exec(line.trim())
    return match?.[1] === undefined ? [] : [match[1].trim().split(/\s+/)]
  })
  const namesCli = (specs: ReadonlyArray<string>) => specs.some((spec) => spec.startsWith("@effect/cli@"))
  const library = lines.find((specs) => !namesCli(specs))
  const command = lines.find(namesCli)
  if (library === undefined || command === undefined) {
    throw new Error("README.md has no `npm install effect-make ...` line for the library and one for the command")
  }
  return { library, command }
}

/** A spec's package name: `@effect/cli@^0.77.2` → `@effect/cli`. */
export const nameOf = (spec: string): string =>
  spec.slice(0, spec.lastIndexOf("@") > 0 ? spec.lastIndexOf("@") : undefined)

/** A spec at the lowest version its caret range allows (`effect@^3.22.2` → `effect@3.22.2`): what we test. */
export const atFloor = (spec: string): string =>
  `${nameOf(spec)}@${spec.slice(nameOf(spec).length + 1).replace(/^\^/, "")}`
