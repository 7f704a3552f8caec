// `npm run smoke`: the packed-tarball smoke test. Packs the package (prepack builds dist/), installs the tarball into
// a fresh project under a temporary directory beside the lowest Effect versions our peer ranges allow, following the
// README's install lines: with the library's line alone, `npx effect-make --help` must answer the one-line message
// naming the missing packages; with the command's line, it must print the help. It checks that the tarball alone (a
// client-only install, in a second app) brings no install script and no Swagger UI package, that the project holds
// ONE `effect`, type-checks every README ```ts block and every examples/ file with `--strict` and declaration emit
// (TS2742), then runs them: programs against the packaged emulator (`effect-make emulator` on a loopback port), test
// files with vitest. Exits non-zero on the first broken step; prints each program's time.
//
// Plain Node rather than Effect on purpose: it checks the build of the library itself, so it must not depend on it.
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative } from "node:path"
import { atFloor, fromExample, fromReadme, installLines, nameOf, type Program } from "./smoke/Programs.js"

const repo = join(dirname(new URL(import.meta.url).pathname), "..")
const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  name: string
  peerDependencies: Record<string, string>
  devDependencies: Record<string, string>
}
const token = "smoke-test-token"
// Generous: CI machines may be shared, and a loaded one takes seconds just to load the emulator's modules.
const startTimeoutMs = 60_000
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
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : fail(`${command} ${args.join(" ")} exited with ${code ?? signal}`))
  })

/** The lowest version a caret range allows (`^3.22.2` → `3.22.2`): what we claim works, so what we test. */
const floor = (range: string): string => range.replace(/^\^/, "")

/** Every file under a directory, as paths relative to it. */
const filesUnder = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))

/** Packages that must never come with the library: Swagger UI's files and the analytics postinstall they pulled. */
const forbiddenPackages = ["swagger-ui-dist", "@scarf/scarf"]

/** The lifecycle scripts npm runs when it installs a package. */
const installScripts = ["preinstall", "install", "postinstall"]

/**
 * What a client-only install carries: the tarball alone in a fresh app, with its peers left out (`--omit=peer`:
 * `effect` and `@effect/platform` are the app's own, and bring what they bring whether we are there or not). Fails when
 * any installed package declares an install script, or when one of {@link forbiddenPackages} is there. Answers how
 * many packages the install holds.
 */
const checkClientOnlyInstall = async (tarballPath: string, dir: string): Promise<number> => {
  mkdirSync(dir)
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "effect-make-client-only", private: true }, null, 2))
  await sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--omit=peer", tarballPath], dir)
  // every package's own manifest: node_modules/<name>/package.json or node_modules/@scope/<name>/package.json, nested
  // node_modules included
  const manifests = filesUnder(join(dir, "node_modules")).map((path) => join("node_modules", path)).filter((path) =>
    /(^|\/)node_modules\/(@[^/]+\/)?[^/@][^/]*\/package\.json$/.test(path)
  )
  const packages = manifests.map((path) => {
    const manifest = JSON.parse(readFileSync(join(dir, path), "utf8")) as {
      readonly name?: string
      readonly scripts?: Record<string, string>
    }
    return {
      path: dirname(path),
      name: manifest.name ?? dirname(path),
      scripts: installScripts.filter((script) => manifest.scripts?.[script] !== undefined)
    }
  })
  if (!packages.some((pkg) => pkg.name === manifest.name)) fail(`the client-only install holds no ${manifest.name}`)
  const withScripts = packages.filter((pkg) => pkg.scripts.length > 0)
  if (withScripts.length > 0) {
    fail(
      `a client-only install runs install scripts: ${
        withScripts.map((pkg) => `${pkg.path} (${pkg.scripts.join(", ")})`).join("; ")
      }`
    )
  }
  const forbidden = packages.filter((pkg) => forbiddenPackages.includes(pkg.name))
  if (forbidden.length > 0) fail(`a client-only install holds ${forbidden.map((pkg) => pkg.path).join(", ")}`)
  return packages.length
}

// 1. Pack (`npm pack` runs prepack, which builds dist/ from a clean slate) while a consumer project gets the packages
// of the README's library install line at the floor of our ranges (so the floor is tested, and it is another effect
// than the one we develop on), with the durable workflows' peers; then the tarball, as a second install (the way a
// user adds us to an existing app).
const readme = readFileSync(join(repo, "README.md"), "utf8")
const install = installLines(readme)
const commandOnly = install.command.filter((spec) => !install.library.some((other) => nameOf(other) === nameOf(spec)))
const work = mkdtempSync(join(tmpdir(), "effect-make-smoke-"))
const project = join(work, "project")
mkdirSync(project)
step(`npm pack into ${work}, and install the peers into a fresh project meanwhile`)
writeFileSync(
  join(project, "package.json"),
  JSON.stringify({ name: "effect-make-smoke", private: true, type: "module" }, null, 2)
)
// the peers neither README line names (the durable workflows'): the examples need them
const others = Object.entries(manifest.peerDependencies)
  .filter(([name]) => ![...install.library, ...install.command].some((spec) => nameOf(spec) === name))
  .map(([name, range]) => `${name}@${floor(range)}`)
const peers = [...install.library.map(atFloor), ...others]
const dev = ["@effect/vitest", "vitest", "typescript", "@types/node"].map((name) =>
  `${name}@${manifest.devDependencies[name] ?? fail(`${name} is not a devDependency`)}`
)
await Promise.all([
  sh("npm", ["pack", "--silent", "--pack-destination", work], repo),
  sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--save-exact", ...peers, ...dev], project)
])
const tarball = readdirSync(work).find((name) => name.endsWith(".tgz")) ?? fail("npm pack wrote no tarball")
step(`install ${tarball}`)
await sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(work, tarball)], project)

// 2a. A client-only install (the tarball's own dependency tree): no install script, no Swagger UI package.
step("client-only install: the tarball alone, no install scripts")
const clientOnly = await checkClientOnlyInstall(join(work, tarball), join(work, "client-only"))
console.log(`  ${clientOnly} package(s), none with an install script, none of ${forbiddenPackages.join(", ")}`)

// 2b. The command after the library's line alone: one line naming what is missing and how to add it, no stack trace.
// Then the README's command line, and the command starts.
const effectMake = (args: ReadonlyArray<string>) =>
  spawnSync("npx", ["--no", "--", "effect-make", ...args], { cwd: project, encoding: "utf8", timeout: runTimeoutMs })
step(`npx effect-make --help after the library's install line (missing: ${commandOnly.map(nameOf).join(", ")})`)
const withoutCli = effectMake(["--help"])
const sentence = withoutCli.stderr.trim()
console.log(`  exit ${withoutCli.status}: ${sentence}`)
if (withoutCli.status === 0 || sentence.includes("\n") || !sentence.startsWith("effect-make: the command needs")) {
  fail(`expected one line naming the missing packages, got exit ${withoutCli.status}:\n${withoutCli.stderr}`)
}
for (const spec of commandOnly) {
  if (!sentence.includes(spec)) fail(`the message does not name ${spec}: ${sentence}`)
}
step(`install the README's command line (${commandOnly.join(" ")}), then npx effect-make --help`)
await sh("npm", [
  "install",
  "--no-audit",
  "--no-fund",
  "--prefer-offline",
  "--save-exact",
  ...install.command.map(atFloor)
], project)
const help = effectMake(["--help"])
if (help.status !== 0 || !help.stdout.includes("$ effect-make")) {
  fail(`npx effect-make --help exited ${help.status}:\n${help.stdout}${help.stderr}`)
}
console.log(`  exit 0, ${help.stdout.split("\n").length} lines of help`)

// 3. One copy of effect: two copies mean two sets of Context tags and fibers that do not mix.
const ls = spawnSync("npm", ["ls", "effect", "--all", "--parseable", "--long"], { cwd: project, encoding: "utf8" })
// `--parseable --long` prints `<path>:effect@<version>` per installed copy (deduped ones share a path).
const copies = [...new Set(ls.stdout.split("\n").filter((line) => /:effect@[^:]+$/.test(line)))]
console.log(copies.map((line) => `  ${line.slice(line.indexOf(":") + 1)}`).join("\n"))
if (copies.length !== 1) fail(`npm ls effect shows ${copies.length} copies of effect`)
const effectFloor = floor(manifest.peerDependencies["effect"] ?? fail("effect is not a peer dependency"))
if (!copies[0]?.endsWith(`:effect@${effectFloor}`)) fail(`expected effect@${effectFloor}, got ${copies[0]}`)

// 4. The programs: README blocks and every file of examples/ (data files such as acme.yaml come along, beside the
// source and beside its compiled output, and at the project root where README blocks read them).
step("collect README blocks and examples/")
const exampleFiles = filesUnder(join(repo, "examples"))
const programs: ReadonlyArray<Program> = [
  ...fromReadme(readme, manifest.name),
  ...exampleFiles.filter((path) => path.endsWith(".ts")).map((path) =>
    fromExample(join("examples", path), readFileSync(join(repo, "examples", path), "utf8"), manifest.name)
  )
]
for (const data of exampleFiles.filter((path) => !path.endsWith(".ts"))) {
  for (const target of [join(project, "examples", data), join(project, "out/examples", data), join(project, data)]) {
    mkdirSync(dirname(target), { recursive: true })
    cpSync(join(repo, "examples", data), target)
  }
}
const included = programs.filter((program) => program.mode !== "skip")
for (const program of included) {
  mkdirSync(dirname(join(project, program.file)), { recursive: true })
  writeFileSync(join(project, program.file), program.source)
}
for (const program of programs) console.log(`  ${program.mode.padEnd(12)} ${program.origin} → ${program.file}`)

// 5. Type-check as a strict consumer that publishes declarations of its own.
step("tsc --strict with declaration emit")
writeFileSync(
  join(project, "tsconfig.json"),
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
        // Our .d.ts files are checked through every use above; third-party ones are not ours to judge.
        skipLibCheck: true
      },
      files: included.map((program) => program.file)
    },
    null,
    2
  )
)
await sh(join(project, "node_modules/.bin/tsc"), ["-p", "."], project)

// 6. Run. Each program gets its own emulator (a fresh state), started from the packaged `effect-make` binary.
// Every emulator started, stopped on any exit (a failed step included), so none outlives the smoke test.
const emulators = new Set<ChildProcess>()
process.on("exit", () => emulators.forEach((child) => child.kill("SIGTERM")))

const startEmulator = (): Promise<{ readonly process: ChildProcess; readonly url: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      join(project, "node_modules/.bin/effect-make"),
      ["emulator", "--port", "0", "--token", token, "--sync-delay", "200ms"],
      { cwd: project, stdio: ["ignore", "ignore", "pipe"] }
    )
    emulators.add(child)
    let stderr = ""
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${stderr}`)), startTimeoutMs)
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
      const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1]
      if (url !== undefined) {
        clearTimeout(timer)
        resolve({ process: child, url })
      }
    })
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${stderr}`)))
  })

/** Runs one compiled program to its end (or the timeout); its output is shown only when it fails. */
const runNode = (file: string, env: NodeJS.ProcessEnv): Promise<{ readonly ok: boolean; readonly output: string }> =>
  new Promise((resolve) => {
    const child = spawn("node", [file], { cwd: project, env, timeout: runTimeoutMs })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.on("exit", (code, signal) => resolve({ ok: code === 0, output: `${output}exit: ${code ?? signal}\n` }))
  })

const runProgram = async (program: Program): Promise<boolean> => {
  const emulator = await startEmulator()
  const baseUrl = `${emulator.url}/api/v2`
  // the README's multi-tenant block reads its two clients under the prefixes TENANT_A and TENANT_B
  const env = {
    ...process.env,
    ...Object.fromEntries(
      ["", "TENANT_A_", "TENANT_B_"].flatMap((prefix) => [
        [`${prefix}MAKE_API_TOKEN`, token],
        [`${prefix}MAKE_BASE_URL`, baseUrl]
      ])
    )
  }
  const begun = Date.now()
  const { ok, output } = await runNode(join("out", program.file.replace(/\.ts$/, ".js")), env)
  emulator.process.kill("SIGTERM")
  console.log(`  ${ok ? "ok  " : "FAIL"} ${program.origin} (${Date.now() - begun} ms)${ok ? "" : `\n${output}`}`)
  return ok
}

/** Runs every program, `concurrency` at a time (each has its own emulator, so they cannot disturb each other). */
const runAll = async (programs: ReadonlyArray<Program>, concurrency: number): Promise<ReadonlyArray<string>> => {
  const queue = [...programs]
  const failed: Array<string> = []
  const worker = async () => {
    for (let program = queue.shift(); program !== undefined; program = queue.shift()) {
      if (!(await runProgram(program))) failed.push(program.origin)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return failed
}

step("run programs against the packaged emulator, test files with vitest")
const runnable = included.filter((program) => program.mode === "run")
const failures = [...await runAll(runnable.filter((program) => !program.file.endsWith(".test.ts")), 2)]
const tests = runnable.filter((program) => program.file.endsWith(".test.ts"))
if (tests.length > 0) {
  writeFileSync(
    join(project, "vitest.config.mjs"),
    `export default { test: { include: ${JSON.stringify(tests.map((program) => program.file))} } }\n`
  )
  const result = spawnSync(join(project, "node_modules/.bin/vitest"), ["run"], { cwd: project, stdio: "inherit" })
  if (result.status !== 0) failures.push(...tests.map((program) => program.origin))
}

if (failures.length > 0) fail(`${failures.length} program(s) failed: ${failures.join(", ")}`)
console.log(
  `\nsmoke: OK — ${included.length} program(s) compiled, ${runnable.length} run, ${
    programs.length - included.length
  } skipped, one effect (${effectFloor}), in ${((Date.now() - started) / 1000).toFixed(1)} s`
)
// The temporary project holds a node_modules: removing it takes seconds that nobody needs to wait for.
spawn("rm", ["-rf", work], { detached: true, stdio: "ignore" }).unref()
