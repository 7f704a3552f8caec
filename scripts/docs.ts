// `npm run docs`: the API reference of the Effect 4 line, generated from src/'s TSDoc into docs/api/, with every
// `@example` type-checked against the sources. Plain Node, no Effect: imports node: modules only.
//
// The tool is @effect/docgen 0.5.2, the one Effect 4's own packages run (effect-smol: `docgen` in every package, the
// examples checked by the TypeScript 7 `tsc` of the repository) and the one the Effect 3 line runs. It parses with the
// ts-morph it bundles (TypeScript 5.5, whose JavaScript API TypeScript 7 no longer has), which only reads the syntax
// and the TSDoc; it type-checks the examples by running `tsc` from PATH, here the repository's TypeScript 7, under
// docgen.json's `examplesCompilerOptions` (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, as the
// sources). The 4.0 previews of docgen (an Effect 4 program) declare `typescript` < 7 and pull a second `effect`;
// effect-smol pins an unreleased build of the 0.5 line. docgen 0.5.2 declares `typescript` ^5 as a peer: package.json's
// `overrides` gives it this repository's TypeScript 7, which only runs as its `tsc`.
//
// What docgen 0.5.2 does not do, done here:
// - It writes example files importing `effect-make` as `../../src`, i.e. for an output folder one level below the
//   root, and runs them with tsx after checking them (it has no "check only"). So docgen writes into `.docgen/` and
//   this script moves the result to docs/api/ (docs/*.md are guides written by hand).
// - It checks the examples of functions, constants, interfaces, types and class methods, not those of a class itself
//   (every service tag and error class) nor of an object's or interface's members (every service method's, on
//   `methods` and on `Service`). This script compiles those under the same compiler options: a class's example as a
//   program, a method's as a fragment in the service's scope (`yield* orgs.get(11)`; see `program`). Every method of
//   a service carries one (checked here too).
//
// docs/api/ is not committed (as effect3/docs/modules/): it is derived from src/, would go stale with every TSDoc edit,
// and CI regenerates it, failing on any example that does not compile.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

interface DocgenJson {
  readonly srcDir: string
  readonly outDir: string
  readonly exclude: ReadonlyArray<string>
  readonly examplesCompilerOptions: { readonly [key: string]: unknown }
}

interface Example {
  readonly file: string
  readonly line: number
  readonly member: boolean
  readonly code: string
}

const root = path.join(import.meta.dirname, "..")
const config: DocgenJson = JSON.parse(fs.readFileSync(path.join(root, "docgen.json"), "utf8"))
const scratch = path.join(root, config.outDir)
const target = path.join(root, "docs", "api")
const bin = path.join(root, "node_modules", ".bin")
// docgen runs `tsc` and `tsx` from PATH: this repository's, whoever runs the script.
const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env["PATH"] ?? ""}` }

const run = (command: string, args: ReadonlyArray<string>) =>
  spawnSync(path.join(bin, command), args, { cwd: root, env, stdio: "inherit", shell: process.platform === "win32" })

// docgen.json's excludes are all "<dir>/**/*.ts": a directory prefix is all this script needs to understand.
const excludedDirs = config.exclude.map((pattern) => {
  if (!pattern.endsWith("/**/*.ts")) throw new Error(`unsupported exclude pattern ${pattern}`)
  return pattern.slice(0, -"/**/*.ts".length) + "/"
})

const sourceFiles = (dir: string): ReadonlyArray<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    const relative = path.relative(root, full)
    if (entry.isDirectory()) return excludedDirs.includes(relative + "/") ? [] : sourceFiles(full)
    return entry.name.endsWith(".ts") ? [relative] : []
  })

const stripStar = (line: string): string => line.replace(/^\s*\* ?/, "")

// The examples docgen skips: on members (indented TSDoc, ` * ` after at least one level of indentation) and on
// exported classes (docgen checks a class's methods, not the class: every service tag and error class).
const skippedExamples = (file: string): ReadonlyArray<Example> => {
  const lines = fs.readFileSync(path.join(root, file), "utf8").split("\n")
  return lines.flatMap((line, i) => {
    const member = /^\s{2,}\* @example/.test(line)
    if (!member && !/^ \* @example/.test(line)) return []
    const end = lines.findIndex((l, j) => j > i && /^\s*\*\//.test(l))
    if (!member && !/^export (abstract )?class /.test(lines[end + 1] ?? "")) return []
    const open = lines.findIndex((l, j) => j > i && l.includes("```"))
    const close = lines.findIndex((l, j) => j > open && l.includes("```"))
    return [{ file, line: i + 1, member, code: lines.slice(open + 1, close).map(stripStar).join("\n") }]
  })
}

// A class's example is a program; so is a member's with its own imports. Any other member example is a fragment in
// its service's scope: the service of src/<Name>.ts is the tag `<Name>.<Name>`, and the fragment names its instance in
// its first call on a lower-case name (`orgs.get(`; `Stream.runCollect(` is a module). `export {}` keeps each file a
// module, so that two examples' top-level names do not collide.
const program = (example: Example): string => {
  if (!example.member || /^import /m.test(example.code)) return `${example.code}\n\nexport {}\n`
  const service = path.basename(example.file, ".ts")
  const instance = /\b([a-z]\w*)\.\w+\(/.exec(example.code)?.[1]
  if (instance === undefined) throw new Error(`${example.file}:${example.line}: no call on the service`)
  return [
    `import { Chunk, Duration, Effect, Option, Stream } from "effect"`,
    `import { ${service} } from "effect-make"`,
    ``,
    `export const program = Effect.gen(function*() {`,
    `  const ${instance} = yield* ${service}.${service}`,
    ...example.code.split("\n").map((line) => `  ${line}`),
    `})`,
    ``
  ].join("\n")
}

// The members of a top-level `export const methods = {` or `export interface Service ... {` block (two-space indent),
// each with the TSDoc before it.
const membersOf = (text: string, opening: RegExp): ReadonlyArray<{ readonly name: string; readonly doc: string }> => {
  const body = new RegExp(`${opening.source}\\n([\\s\\S]*?)^\\}`, "m").exec(text)?.[1] ?? ""
  return [...body.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*)?^ {2}(?:readonly )?(\w+):/gm)].map((m) => ({
    name: m[2] ?? "",
    doc: m[1] ?? ""
  }))
}

// Every method of a service (a module whose methods are contract operations) has an example.
const missingExamples = (file: string): ReadonlyArray<string> => {
  const text = fs.readFileSync(path.join(root, file), "utf8")
  if (!text.includes(`import * as Operation from "./Operation.js"`)) return []
  return [
    ...membersOf(text, /^export const methods = \{/).map((m) => ({ ...m, where: "methods" })),
    ...membersOf(text, /^export interface Service\b.*\{/).map((m) => ({ ...m, where: "Service" }))
  ].filter((m) => !m.doc.includes("@example")).map((m) => `${file}: ${m.where}.${m.name}`)
}

const started = Date.now()
fs.rmSync(scratch, { recursive: true, force: true })

const files = sourceFiles(path.join(root, config.srcDir))
const missing = files.flatMap(missingExamples)
if (missing.length > 0) {
  console.error(`Service methods without an @example:\n${missing.join("\n")}`)
  process.exit(1)
}

const docgen = run("docgen", [])
if (docgen.status !== 0) {
  console.error(`docgen failed (examples kept in ${path.relative(root, scratch)}/examples/ to inspect)`)
  process.exit(1)
}

// The examples docgen skips, beside docgen's: the same depth below the root, so docgen.json's `paths` hold for both.
const examples = files.flatMap(skippedExamples)
const memberDir = path.join(scratch, "skipped-examples")
fs.mkdirSync(memberDir, { recursive: true })
const names = examples.map((example) => {
  const name = `${example.file.replace(/[/.]/g, "-")}-${example.line}.ts`
  fs.writeFileSync(path.join(memberDir, name), program(example))
  return name
})
fs.writeFileSync(
  path.join(memberDir, "tsconfig.json"),
  JSON.stringify({ compilerOptions: config.examplesCompilerOptions, files: names }, null, 2)
)
const tsc = run("tsc", ["--noEmit", "--project", path.join(memberDir, "tsconfig.json")])
if (tsc.status !== 0) {
  // The file names say where each example is: src-Organizations-ts-146.ts is the one at src/Organizations.ts:146.
  console.error(`examples failed to compile (kept in ${path.relative(root, memberDir)}/ to inspect)`)
  process.exit(1)
}
fs.rmSync(memberDir, { recursive: true, force: true })

// docgen 0.5.2 writes each module page's front matter after a blank line, which prettier then turns into a thematic
// break (`***`) and a heading: restore the front matter (title, nav_order, parent), so that the page reads right.
const frontMatter = (page: string): string =>
  page.replace(/^\*\*\*\n\n(title: .*\nnav_order: .*\nparent: .*\n)---\n/, "---\n$1---\n")

fs.rmSync(target, { recursive: true, force: true })
fs.renameSync(scratch, target)
const modules = fs.readdirSync(path.join(target, "modules"), { recursive: true, encoding: "utf8" })
  .filter((name) => name.endsWith(".ts.md"))
for (const name of modules) {
  const page = path.join(target, "modules", name)
  fs.writeFileSync(page, frontMatter(fs.readFileSync(page, "utf8")))
}
console.log(
  `docs/api: ${modules.length} modules; ${examples.length} example(s) docgen skips type-checked ` +
    `(${examples.filter((e) => e.member).length} on members, ${
      examples.filter((e) => !e.member).length
    } on classes); ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s`
)
