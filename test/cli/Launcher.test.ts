// The `effect-make` binary's launcher: in an app without a package the command needs, the bundled binary answers one
// sentence naming it and the npm line that adds it, never a stack trace; the packages it names are package.json's
// peers at their ranges.
import { describe, expect, it } from "@effect/vitest"
import { build } from "esbuild"
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { ExitCode } from "../../src/cli/ExitCode.js"
import * as Launch from "../../src/cli/Launch.js"

const repo = fileURLToPath(new URL("../../", import.meta.url))
const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  readonly peerDependencies: Record<string, string>
  readonly bin: Record<string, string>
}
const main = join(repo, "src/cli/main.ts")
const launcher = join(repo, "src/cli/bin.ts")
/** The packages the command needs beside effect-make: effect (whose effect/cli it runs on) and the Node runtime. */
const commandPeers = ["effect", "@effect/platform-node"]

/**
 * Bundles the binary into `directory` as `bin.js` and `main.js`: the launcher's dynamic import of ./main.js stays an
 * import of the other file (one bundle would hoist the command's package imports into the launcher, and a missing
 * package would fail before the launcher runs). The command's own dynamic imports (`apply --durable`'s client of the
 * replicas) stay chunks of their own, as tsc leaves them in dist/. Packages stay external: they resolve from
 * `directory` up.
 */
const bundleBinary = async (directory: string): Promise<string> => {
  const common = {
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    logLevel: "error"
  } as const
  writeFileSync(join(directory, "package.json"), JSON.stringify({ type: "module" }))
  await Promise.all([
    build({ ...common, entryPoints: { main }, outdir: directory, splitting: true }),
    build({ ...common, entryPoints: [launcher], outfile: join(directory, "bin.js"), external: ["./main.js"] })
  ])
  return join(directory, "bin.js")
}

/**
 * An app folder outside the repository whose node_modules links every package the repository has installed except
 * `hidden`: what an app that never installed `hidden` holds.
 */
const appWithout = (hidden: ReadonlyArray<string>): string => {
  const app = mkdtempSync(join(tmpdir(), "effect-make-launcher-"))
  const modules = join(app, "node_modules")
  mkdirSync(join(modules, "@effect"), { recursive: true })
  for (const name of readdirSync(join(repo, "node_modules"))) {
    if (name === "@effect" || name.startsWith(".") || hidden.includes(name)) continue
    symlinkSync(join(repo, "node_modules", name), join(modules, name))
  }
  for (const name of readdirSync(join(repo, "node_modules/@effect"))) {
    if (hidden.includes(`@effect/${name}`)) continue
    symlinkSync(join(repo, "node_modules/@effect", name), join(modules, "@effect", name))
  }
  return app
}

const run = (program: string, args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [program, ...args], { env: { ...process.env, NO_COLOR: "1" } })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

describe("the effect-make launcher", { timeout: 60_000 }, () => {
  it("without the packages the command needs, `effect-make --help` is one sentence naming them", async () => {
    const apps: Array<string> = []
    /** The binary installed in an app without `hidden`, as npm lays it out. */
    const installedWithout = (hidden: ReadonlyArray<string>) => {
      const app = appWithout(hidden)
      apps.push(app)
      const directory = join(app, "node_modules/effect-make/dist/cli")
      mkdirSync(directory, { recursive: true })
      return bundleBinary(directory)
    }
    try {
      // Effect 3 hid its CLI's three optional peers here; on Effect 4 the command's own packages are effect (effect/cli
      // is part of it) and @effect/platform-node: an app that installed neither
      const result = await run(await installedWithout(commandPeers), ["--help"])
      expect(result.stderr).toBe(
        "effect-make: the command needs effect and @effect/platform-node, which are not " +
          "installed; install them beside effect-make with: " +
          "npm install effect@^4.1.5 @effect/platform-node@^4.1.5\n"
      )
      expect(result.stdout).toBe("")
      expect(result.code).toBe(ExitCode.failed)
      const one = await run(await installedWithout(["@effect/platform-node"]), ["orgs", "list"])
      expect(one.stderr).toBe(`${Launch.missingMessage(["@effect/platform-node"])}\n`)
      expect(one.code).toBe(ExitCode.failed)
      // a broken install (a dependency npm should have installed is gone): one sentence too, with the full install line
      const broken = await run(await installedWithout(["yaml"]), ["--help"])
      expect(broken.stderr).toMatch(/^effect-make: the command could not start \(Cannot find package 'yaml' [^\n]*\)/)
      expect(broken.stderr).toContain(`reinstall it with: npm install effect-make@1 effect@^4.1.5 `)
      expect(broken.stderr.trimEnd().split("\n")).toHaveLength(1)
      expect(broken.code).toBe(ExitCode.failed)
    } finally {
      for (const app of apps) rmSync(app, { recursive: true, force: true })
    }
  })

  it("without @effect/sql-pg, `apply --durable` is one sentence naming it; every other command runs", async () => {
    const app = appWithout(["@effect/sql-pg"])
    try {
      const directory = join(app, "node_modules/effect-make/dist/cli")
      mkdirSync(directory, { recursive: true })
      const binary = await bundleBinary(directory)
      const specs = join(app, "specs")
      mkdirSync(specs)
      writeFileSync(join(specs, "a.yaml"), "organization: { name: A, regionId: 1, timezoneId: 113, countryId: 1 }\n")
      const durable = await run(binary, ["apply", "--durable", specs])
      expect(durable.stderr).toBe(
        "effect-make: the command needs @effect/sql-pg, which is not installed; install it beside effect-make with: " +
          "npm install @effect/sql-pg@^4.1.5\n"
      )
      expect(durable.stdout).toBe("")
      expect(durable.code).toBe(ExitCode.failed)
      // the same fleet on the embedded emulator: the driver is loaded by --durable alone
      const memory = await run(binary, ["apply", specs])
      expect(memory.stdout).toContain("1 spec: 1 applied, 0 unchanged, 0 failed")
      expect(memory.code).toBe(ExitCode.ok)
    } finally {
      rmSync(app, { recursive: true, force: true })
    }
  })

  it("names each needed package at package.json's peer range, and exits with ExitCode.failed", () => {
    for (const [name, range] of [...Launch.needed, ...Launch.neededDurable]) {
      expect({ name, range }).toEqual({ name, range: manifest.peerDependencies[name] })
    }
    // Effect 4 only: the package's binary is the launcher's build output
    expect(manifest.bin).toEqual({ "effect-make": "dist/cli/bin.js" })
    expect(Launch.cannotStart).toBe(ExitCode.failed)
    expect(Launch.missingMessage(["@effect/platform-node"])).toBe(
      "effect-make: the command needs @effect/platform-node, which is not installed; install it beside effect-make " +
        "with: npm install @effect/platform-node@^4.1.5"
    )
    expect(Launch.missingPackages((name) => {
      if (commandPeers.includes(name)) throw new Error("not found")
      return name
    })).toEqual(commandPeers)
  })
})
