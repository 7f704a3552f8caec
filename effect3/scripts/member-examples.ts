// Type-checks the @example blocks docgen skips: those on interface members, i.e. every service method's example.
// @effect/docgen 0.5.2 compiles the examples of a module's exports (functions, constants, classes, the interface
// itself) but not those of an interface's members, and the service interfaces carry most of ours. It also checks
// that every method of a service interface has an example (the one place examples are required; see README
// "Development"). Reads srcDir, exclude and examplesCompilerOptions from docgen.json, so both checks agree.
//
// A method's example is a fragment in the service's scope (`const org = yield* orgs.get(11)`): it is wrapped in
// `Effect.gen`, with the service bound to the name the fragment uses. An example with its own imports is taken
// as a whole program.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

interface DocgenJson {
  readonly srcDir: string
  readonly exclude: ReadonlyArray<string>
  readonly examplesCompilerOptions: { readonly [key: string]: unknown }
}

interface Example {
  readonly file: string
  readonly line: number
  readonly code: string
}

const root = process.cwd()
const outDir = path.join(root, "docs", "member-examples")
const config: DocgenJson = JSON.parse(fs.readFileSync(path.join(root, "docgen.json"), "utf8"))

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

// Indented JSDoc lines (` * ` after at least one level of indentation) belong to a member, not to an export.
const memberExamples = (file: string): ReadonlyArray<Example> => {
  const lines = fs.readFileSync(path.join(root, file), "utf8").split("\n")
  const found: Array<Example> = []
  lines.forEach((line, i) => {
    if (!/^\s{2,}\* @example/.test(line)) return
    const open = lines.findIndex((l, j) => j > i && l.includes("```"))
    const close = lines.findIndex((l, j) => j > open && l.includes("```"))
    found.push({ file, line: i + 1, code: lines.slice(open + 1, close).map(stripStar).join("\n") })
  })
  return found
}

// The service of src/<Name>.ts is `<Name>.<Name>`; the fragment names its instance in its first call on a
// lower-case name (`orgs.get(`; `Stream.runCollect(` is a module).
const program = (example: Example): string => {
  if (/^import /m.test(example.code)) return example.code
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

// Every method of an API service (a module whose `Service` is built from contract operations) has an example.
const missingExamples = (file: string): ReadonlyArray<string> => {
  const text = fs.readFileSync(path.join(root, file), "utf8")
  const body = /^export interface Service \{\n([\s\S]*?)^\}/m.exec(text)?.[1]
  if (body === undefined || !text.includes(`import * as Operation from "./Operation.js"`)) return []
  const members = [...body.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*)?^ {2}readonly (\w+)/gm)]
  return members.filter((m) => !(m[1] ?? "").includes("@example")).map((m) => `${file}: Service.${m[2]}`)
}

const files = sourceFiles(path.join(root, config.srcDir))
const missing = files.flatMap(missingExamples)
if (missing.length > 0) {
  console.error(`Service methods without an @example:\n${missing.join("\n")}`)
  process.exit(1)
}

const examples = files.flatMap(memberExamples)
fs.rmSync(outDir, { recursive: true, force: true })
fs.mkdirSync(outDir, { recursive: true })
const names = examples.map((example) => {
  const name = `${example.file.replace(/[/.]/g, "-")}-${example.line}.ts`
  fs.writeFileSync(path.join(outDir, name), program(example))
  return name
})
// docgen's options, with the paths resolved from this directory instead of docs/examples.
fs.writeFileSync(
  path.join(outDir, "tsconfig.json"),
  JSON.stringify({ compilerOptions: { ...config.examplesCompilerOptions, baseUrl: root }, files: names }, null, 2)
)
const tsc = spawnSync("tsc", ["--noEmit", "--project", path.join(outDir, "tsconfig.json")], {
  encoding: "utf8",
  shell: process.platform === "win32"
})
if (tsc.status === 0) fs.rmSync(outDir, { recursive: true, force: true })
console.log(`${examples.length} member example(s) type-checked`)
if (tsc.status !== 0) {
  // The file names say where each example is: src-Organizations-ts-146.ts is the one at src/Organizations.ts:146.
  console.error(`${tsc.stdout}${tsc.stderr}\n(kept in ${path.relative(root, outDir)}/ to inspect)`)
  process.exit(1)
}
