// The `effect-make` binary's launcher: with the packages of the README's library-only install line (the CLI's own
// peers missing), the bundled binary answers one sentence naming them and the npm line that adds them, never a stack
// trace; the packages it names are package.json's peers at their ranges.
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { ExitCode } from "../../src/cli/ExitCode.js"
import * as Launch from "../../src/cli/Launch.js"
import { bundleBinary } from "./spawn.js"

const repo = fileURLToPath(new URL("../../", import.meta.url))
const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  readonly peerDependencies: Record<string, string>
}
const cliPeers = ["@effect/cli", "@effect/printer", "@effect/printer-ansi"]

/**
 * An app folder outside the repository whose node_modules links every package the repository has installed except
 * `hidden`: the install `npm install effect-make effect@... @effect/platform@... @effect/workflow@...
 * @effect/platform-node@...` leaves when `hidden` are the CLI's optional peers.
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
  it("after the library-only install, `effect-make --help` is one sentence naming the missing packages", async () => {
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
      const result = await run(await installedWithout(cliPeers), ["--help"])
      expect(result.stderr).toBe(
        "effect-make: the command needs @effect/cli, @effect/printer and @effect/printer-ansi, which are not " +
          "installed; install them beside effect-make with: " +
          "npm install @effect/cli@^0.77.2 @effect/printer@^0.51.0 @effect/printer-ansi@^0.51.0\n"
      )
      expect(result.stdout).toBe("")
      expect(result.code).toBe(ExitCode.failed)
      const one = await run(await installedWithout(["@effect/printer-ansi"]), ["orgs", "list"])
      expect(one.stderr).toBe(`${Launch.missingMessage(["@effect/printer-ansi"])}\n`)
      expect(one.code).toBe(ExitCode.failed)
      // a broken install (a dependency npm should have installed is gone): one sentence too, with the full install line
      const broken = await run(await installedWithout(["yaml"]), ["--help"])
      expect(broken.stderr).toMatch(/^effect-make: the command could not start \(Cannot find package 'yaml' [^\n]*\)/)
      expect(broken.stderr).toContain(`reinstall it with: npm install effect-make@^0.1 effect@^3.22.2 `)
      expect(broken.stderr.trimEnd().split("\n")).toHaveLength(1)
      expect(broken.code).toBe(ExitCode.failed)
    } finally {
      for (const app of apps) rmSync(app, { recursive: true, force: true })
    }
  })

  it("names each needed package at package.json's peer range, and exits with ExitCode.failed", () => {
    for (const [name, range] of Launch.needed) {
      expect({ name, range }).toEqual({ name, range: manifest.peerDependencies[name] })
    }
    expect(Launch.cannotStart).toBe(ExitCode.failed)
    expect(Launch.missingMessage(["@effect/printer-ansi"])).toBe(
      "effect-make: the command needs @effect/printer-ansi, which is not installed; install it beside effect-make " +
        "with: npm install @effect/printer-ansi@^0.51.0"
    )
    expect(Launch.missingPackages((name) => {
      if (cliPeers.includes(name)) throw new Error("not found")
      return name
    })).toEqual(cliPeers)
  })
})
