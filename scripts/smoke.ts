// `npm run smoke`: the packed-tarball smoke test of the Effect 4 line. Plain Node, no Effect: it checks the build of
// the library itself, so it must not depend on it. Imports node: modules and ./smoke/Programs.ts only.
//
// Packs the package (prepack builds dist/), checks the tarball (no install script; alone, it brings no package with
// one and no Swagger UI package), installs it into a fresh app in a temporary directory beside the README's install
// line at the floors of our peer ranges, checks the `effect-make` binary (`npx effect-make --help` answers the help;
// without @effect/platform-node, one sentence naming it), checks the app holds ONE `effect` and that the exports map resolves the
// entries but not internal/, type-checks every README ```ts block and every program of examples/ (its imports of
// src/ entries rewritten to the package's) with the root's TypeScript 7 (`--strict`, NodeNext, declaration emit),
// then runs them on Node 24: programs against the packaged in-process emulator (no token
// in their environment: no network), test files with vitest. Exits non-zero on the first broken step.
import { spawn, spawnSync } from "node:child_process"
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { atFloor, fromExample, fromReadme, installLine, nameOf, type Program } from "./smoke/Programs.js"

const repo = join(dirname(fileURLToPath(import.meta.url)), "..")
const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  readonly name: string
  readonly peerDependencies: Record<string, string>
  readonly devDependencies: Record<string, string>
}
const runTimeoutMs = 120_000
const started = Date.now()

const fail = (message: string): never => {
  console.error(`\nsmoke: FAILED — ${message}`)
  process.exit(1)
}

const step = (title: string) => console.log(`\n==> ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`)

/** Runs a command with inherited output; fails the smoke test on a non-zero exit. Async, so that two can overlap. */
const sh = (command: string, args: ReadonlyArray<string>, cwd: string): Promise<void> =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: "inherit", timeout: 5 * 60_000 })
    child.on("error", (error) => fail(`${command} did not start: ${error.message}`))
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : fail(`${command} ${args.join(" ")} exited with ${code ?? signal}`))
  })

/** The lowest version a caret range allows (`^4.1.5` → `4.1.5`). */
const floor = (range: string): string => range.replace(/^\^/, "")

/** The programs run on Node 24: this one when it is (npm scripts find the root's pinned Node 24 first), else npx's. */
const node: ReadonlyArray<string> = Number(process.versions.node.split(".")[0]) >= 24
  ? [process.execPath]
  : ["npx", "-y", "-p", "node@24.21.0", "--", "node"]

/** Packages that must never come with the library: Swagger UI's files and the analytics postinstall they pulled. */
const forbiddenPackages = ["swagger-ui-dist", "@scarf/scarf"]

/** The lifecycle scripts npm runs when it installs a package. */
const installScripts = ["preinstall", "install", "postinstall"]

interface Installed {
  readonly path: string
  readonly name: string
  readonly version: string
  readonly scripts: ReadonlyArray<string>
}

/** Every package installed under `dir`'s node_modules (nested ones included), from its own package.json. */
const installedPackages = (dir: string): ReadonlyArray<Installed> =>
  readdirSync(join(dir, "node_modules"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === "package.json")
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    // a package's own manifest: node_modules/<name>/package.json or node_modules/@scope/<name>/package.json
    .filter((path) => /(^|\/)node_modules\/(@[^/]+\/)?[^/@][^/]*\/package\.json$/.test(path))
    .map((path) => {
      const pkg = JSON.parse(readFileSync(join(dir, path), "utf8")) as {
        readonly name?: string
        readonly version?: string
        readonly scripts?: Record<string, string>
      }
      return {
        path: dirname(path),
        name: pkg.name ?? dirname(path),
        version: pkg.version ?? "?",
        scripts: installScripts.filter((script) => pkg.scripts?.[script] !== undefined)
      }
    })

// 1. Pack (`npm pack` runs prepack, which builds dist/ from a clean slate) while a fresh app installs the README's
// install line at the floors of its ranges, and the test tools at the root's versions; then the tarball, as a
// second install (the way a user adds us to an existing app).
const readme = readFileSync(join(repo, "README.md"), "utf8")
const peers = installLine(readme)
for (const [name, range] of Object.entries(manifest.peerDependencies)) {
  const spec = peers.find((spec) => nameOf(spec) === name)
  if (spec !== `${name}@${range}`) fail(`README's install line has ${spec ?? "no"} ${name}, package.json ${range}`)
}
// SMOKE_WORK=DIR (an empty or missing folder) builds the app there and leaves it: CI then runs the conformance suite
// against the `effect-make` binary this app installed from the tarball.
const keep = process.env["SMOKE_WORK"]
const work = keep === undefined || keep === "" ? mkdtempSync(join(tmpdir(), "effect-make-smoke-")) : keep
mkdirSync(work, { recursive: true })
const app = join(work, "app")
mkdirSync(app)
writeFileSync(join(app, "package.json"), JSON.stringify({ name: "effect-make-smoke", private: true, type: "module" }))
const tools = ["@effect/vitest", "vitest", "@types/node"].map((name) =>
  `${name}@${manifest.devDependencies[name] ?? fail(`${name} is not a devDependency`)}`
)
step(`npm pack into ${work}; meanwhile a fresh app installs ${[...peers.map(atFloor), ...tools].join(" ")}`)
const npmInstall = ["install", "--no-audit", "--no-fund", "--prefer-offline"]
await Promise.all([
  sh("npm", ["pack", "--silent", "--pack-destination", work], repo),
  sh("npm", [...npmInstall, "--save-exact", ...peers.map(atFloor), ...tools], app)
])
const tarball = join(work, readdirSync(work).find((name) => name.endsWith(".tgz")) ?? fail("npm pack wrote no tarball"))

// 2. The tarball: its manifest declares no install script, and alone (its own dependency tree, peers left out) it
// brings no package with one and none of the forbidden packages.
step("the tarball: no install script, nothing forbidden in its own tree")
const packed = spawnSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" })
if (packed.status !== 0) fail(`tar could not read package/package.json: ${packed.stderr}`)
const packedManifest = JSON.parse(packed.stdout) as { readonly scripts?: Record<string, string> }
const ownScripts = installScripts.filter((script) => packedManifest.scripts?.[script] !== undefined)
if (ownScripts.length > 0) fail(`the tarball declares install scripts: ${ownScripts.join(", ")}`)
const entries = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).stdout.split(
  "\n"
)
for (
  const required of ["index", "node/index", "testing/index"].flatMap((entry) =>
    [".js", ".d.ts", ".js.map"].map((ext) => `package/dist/${entry}${ext}`)
  )
) {
  if (!entries.includes(required)) fail(`the tarball lacks ${required}`)
}
const clientOnly = join(work, "client-only")
mkdirSync(clientOnly)
writeFileSync(join(clientOnly, "package.json"), JSON.stringify({ name: "effect-make-client-only", private: true }))
await sh("npm", [...npmInstall, "--omit=peer", tarball], clientOnly)
const alone = installedPackages(clientOnly)
if (!alone.some((pkg) => pkg.name === manifest.name)) fail(`the tarball alone installs no ${manifest.name}`)
const withScripts = alone.filter((pkg) => pkg.scripts.length > 0)
if (withScripts.length > 0) {
  fail(`installing the tarball runs scripts: ${withScripts.map((pkg) => `${pkg.path} (${pkg.scripts})`).join("; ")}`)
}
const forbiddenAlone = alone.filter((pkg) => forbiddenPackages.includes(pkg.name))
if (forbiddenAlone.length > 0) fail(`the tarball brings ${forbiddenAlone.map((pkg) => pkg.path).join(", ")}`)
console.log(`  ${entries.length - 1} files; alone it installs ${alone.length} package(s), no install script`)

step(`install ${relative(work, tarball)} into the app`)
await sh("npm", [...npmInstall, tarball], app)

// 2b. The `effect-make` binary npm linked from the package's `bin`: the built launcher with its shebang, executable,
// and `npx effect-make --help` answers the help. The README's install line is also the command's (effect/cli is part
// of effect; @effect/platform-node is on it), so an app with that line lacks nothing: the missing-peer sentence is
// checked by taking @effect/platform-node out of the app for one run, as an app that installed `effect-make` and
// `effect` alone would be.
step("npx effect-make --help in the app; then without @effect/platform-node, one sentence")
const binary = join(app, "node_modules/effect-make/dist/cli/bin.js")
if (!readFileSync(binary, "utf8").startsWith("#!/usr/bin/env node\n")) fail(`${binary} has no shebang`)
try {
  accessSync(join(app, "node_modules/.bin/effect-make"), constants.X_OK)
} catch {
  fail("node_modules/.bin/effect-make is missing or not executable")
}
// the shebang's `node` is the first on PATH: this Node 24 when the smoke test runs on it
const binaryEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/MAKE_/.test(name))),
  NO_COLOR: "1",
  PATH: node.length === 1 ? `${dirname(process.execPath)}:${process.env["PATH"] ?? ""}` : process.env["PATH"]
}
const effectMake = (args: ReadonlyArray<string>) =>
  spawnSync("npx", ["--no", "--", "effect-make", ...args], {
    cwd: app,
    env: binaryEnv,
    encoding: "utf8",
    timeout: runTimeoutMs
  })
const help = effectMake(["--help"])
if (help.status !== 0 || !help.stdout.includes("effect-make <subcommand>")) {
  fail(`npx effect-make --help exited ${help.status ?? help.signal}:\n${help.stdout}${help.stderr}`)
}
console.log(`  exit 0, ${help.stdout.trimEnd().split("\n").length} lines of help`)
const platformNode = join(app, "node_modules/@effect/platform-node")
const aside = join(work, "platform-node-aside")
renameSync(platformNode, aside)
const withoutPeer = effectMake(["--help"])
renameSync(aside, platformNode)
const sentence = withoutPeer.stderr.trimEnd()
console.log(`  exit ${withoutPeer.status ?? withoutPeer.signal}: ${sentence}`)
const expected = "effect-make: the command needs @effect/platform-node, which is not installed; install it beside " +
  `effect-make with: npm install @effect/platform-node@${manifest.peerDependencies["@effect/platform-node"]}`
if (withoutPeer.status !== 1 || sentence !== expected || withoutPeer.stdout !== "") {
  fail(`expected exit 1 and the one line\n  ${expected}\ngot exit ${withoutPeer.status}:\n${withoutPeer.stderr}`)
}

// 3. One copy of effect (two copies mean two sets of Context tags and fibers that do not mix), at the floor; and
// none of the forbidden packages anywhere in the app.
step("one effect in the app")
const ls = spawnSync("npm", ["ls", "effect", "--all", "--parseable", "--long"], { cwd: app, encoding: "utf8" })
// `--parseable --long` prints `<path>:effect@<version>` per installed copy (deduped ones share a path)
const listed = [...new Set(ls.stdout.split("\n").filter((line) => /:effect@[^:]+$/.test(line)))]
const installed = installedPackages(app)
const effects = installed.filter((pkg) => pkg.name === "effect")
for (const pkg of effects) console.log(`  ${pkg.path} ${pkg.version}`)
if (listed.length !== 1 || effects.length !== 1) {
  fail(`the app holds ${effects.length} copies of effect (npm ls: ${listed.length})`)
}
const effectFloor = floor(manifest.peerDependencies["effect"] ?? fail("effect is not a peer dependency"))
if (effects[0]?.version !== effectFloor) fail(`expected effect@${effectFloor}, got ${effects[0]?.version}`)
const forbidden = installed.filter((pkg) => forbiddenPackages.includes(pkg.name))
if (forbidden.length > 0) fail(`the app holds ${forbidden.map((pkg) => pkg.path).join(", ")}`)

// 4. The README's blocks and the examples, as files of the app importing the package by name; the examples' data
// files (a spec) go beside their compiled programs, where they look for them.
step("collect the README's ```ts blocks and examples/")
const exampleFiles = readdirSync(join(repo, "examples"))
const programs: ReadonlyArray<Program> = [
  ...fromReadme(readme),
  ...exampleFiles.filter((name) => name.endsWith(".ts")).map((name) =>
    fromExample(name, readFileSync(join(repo, "examples", name), "utf8"))
  )
]
if (!programs.some((program) => program.origin.startsWith("README"))) fail("README.md has no ```ts block")
mkdirSync(join(app, "out/examples"), { recursive: true })
for (const name of exampleFiles.filter((name) => !name.endsWith(".ts"))) {
  writeFileSync(join(app, "out/examples", name), readFileSync(join(repo, "examples", name)))
}
const included = programs.filter((program) => program.mode !== "skip")
for (const program of included) {
  mkdirSync(dirname(join(app, program.file)), { recursive: true })
  writeFileSync(join(app, program.file), program.source)
}
for (const program of programs) console.log(`  ${program.mode.padEnd(12)} ${program.origin} → ${program.file}`)

// 5. Type-check as a strict consumer that publishes declarations of its own, with the root's TypeScript 7.
step("tsc --strict (TypeScript 7, NodeNext, declaration emit) in the app")
writeFileSync(
  join(app, "tsconfig.json"),
  JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        declaration: true,
        outDir: "out",
        rootDir: ".",
        types: ["node"],
        // our .d.ts files are checked through every use above; third-party ones are not ours to judge
        skipLibCheck: true
      },
      files: included.map((program) => program.file)
    },
    null,
    2
  )
)
await sh(join(repo, "node_modules/.bin/tsc"), ["-p", "."], app)

// 6. Run, on Node 24. No MAKE_* variable reaches a program: without a token, `layerConfigOrEmulator` picks the
// packaged in-process emulator, so nothing goes over the network.
const environment = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/MAKE_/.test(name))),
  // the output is shown in a log, not a terminal
  NO_COLOR: "1"
}

const run = (args: ReadonlyArray<string>): Promise<{ readonly ok: boolean; readonly output: string }> =>
  new Promise((resolve) => {
    const [command = "node", ...rest] = [...node, ...args]
    const child = spawn(command, rest, { cwd: app, env: environment, timeout: runTimeoutMs })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.on("exit", (code, signal) => resolve({ ok: code === 0, output: `${output}exit: ${code ?? signal}\n` }))
  })

const version = await run(["--version"])
step(`run the programs on Node ${version.output.split("\n")[0]}, the test files with vitest`)
if (!version.output.startsWith("v24.")) fail(`expected Node 24, got ${version.output}`)
// the exports map: the entries and a module by name resolve; internal modules do not
writeFileSync(
  join(app, "exports-check.mjs"),
  `for (const entry of ["effect-make", "effect-make/node", "effect-make/testing", "effect-make/workflows/durable",
  "effect-make/ai", "effect-make/Organizations"]) {
  await import(entry)
}
for (const internal of ["effect-make/internal/validation", "effect-make/testing/emulator/Store", "effect-make/cli/main"]) {
  const outcome = await import(internal).then(() => "resolved", (error) => error.code)
  if (outcome !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw new Error(internal + ": " + outcome)
}
`
)
const exportsCheck = await run(["exports-check.mjs"])
if (!exportsCheck.ok) fail(`the exports map: ${exportsCheck.output}`)
console.log(
  "  ok   exports: effect-make, /node, /testing, /workflows/durable, /ai, /Organizations resolve; internal/, testing/emulator/, cli/ do not"
)
const runnable = included.filter((program) => program.mode === "run")
for (const program of runnable.filter((program) => !program.file.endsWith(".test.ts"))) {
  const begun = Date.now()
  const { ok, output } = await run([join("out", program.file.replace(/\.ts$/, ".js"))])
  console.log(`  ${ok ? "ok  " : "FAIL"} ${program.origin} (${Date.now() - begun} ms)`)
  console.log(output.trimEnd().split("\n").map((line) => `    ${line}`).join("\n"))
  if (!ok) fail(`${program.origin} failed`)
}
const tests = runnable.filter((program) => program.file.endsWith(".test.ts"))
if (tests.length > 0) {
  writeFileSync(
    join(app, "vitest.config.mjs"),
    `export default { test: { include: ${JSON.stringify(tests.map((program) => program.file))} } }\n`
  )
  const { ok, output } = await run(["node_modules/vitest/vitest.mjs", "run"])
  console.log(output.trimEnd().split("\n").map((line) => `    ${line}`).join("\n"))
  if (!ok) fail(`vitest failed on ${tests.map((program) => program.origin).join(", ")}`)
}

console.log(
  `\nsmoke: OK — ${included.length} program(s) compiled (README blocks and examples), ${runnable.length} run (${tests.length} with vitest), ${
    programs.length - included.length
  } skipped, one effect (${effectFloor}), in ${((Date.now() - started) / 1000).toFixed(1)} s`
)
// The temporary app holds a node_modules: removing it takes seconds that nobody needs to wait for.
if (work !== keep) spawn("rm", ["-rf", work], { detached: true, stdio: "ignore" }).unref()
