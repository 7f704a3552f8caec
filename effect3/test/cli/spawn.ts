// Helpers for the CLI tests: run `effect-make` as a child process (the binary's launcher src/cli/bin.ts and the
// command src/cli/main.ts bundled once, as two files the way the package ships them) and collect its output and exit
// code; start the emulator command on a free port.
import { build } from "esbuild"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { inject } from "vitest"
import { nodeArgs } from "../support/bundle.js"

export const main = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url))
export const launcher = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url))

/**
 * Bundles the binary into `directory` as `bin.js` and `main.js`: the launcher's dynamic import of ./main.js stays an
 * import of the other file (one bundle would hoist the command's package imports into the launcher, and a missing
 * package would fail before the launcher runs). Packages stay external: they resolve from `directory` up.
 */
export const bundleBinary = async (directory: string): Promise<string> => {
  const common = {
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    logLevel: "error"
  } as const
  writeFileSync(join(directory, "package.json"), JSON.stringify({ type: "module" }))
  await Promise.all([
    build({ ...common, entryPoints: [main], outfile: join(directory, "main.js") }),
    build({ ...common, entryPoints: [launcher], outfile: join(directory, "bin.js"), external: ["./main.js"] })
  ])
  return join(directory, "bin.js")
}

/** The bundled CLI, built on first use and shared by every child of this test file. */
let bundled: Promise<string> | undefined
const program = (): Promise<ReadonlyArray<string>> => {
  bundled ??= bundleBinary(mkdtempSync(join(inject("bundleRoot"), "cli-")))
  return bundled.then(nodeArgs)
}

/** The environment of a child: no MAKE_API_TOKEN or MAKE_API_KEY (unless given), no colour. */
const childEnv = (extra?: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" }
  delete env["MAKE_API_TOKEN"]
  delete env["MAKE_API_KEY"]
  return { ...env, ...extra }
}

export interface Result {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

const collect = (child: ChildProcess): Promise<Result> =>
  new Promise((resolve, reject) => {
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
    child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  })

/** Runs `effect-make ...args` to the end. */
export const cli = async (args: ReadonlyArray<string>, env?: Record<string, string>): Promise<Result> =>
  collect(spawn(process.execPath, [...await program(), ...args], { env: childEnv(env) }))

export interface RunningEmulator {
  readonly url: string
  readonly stop: (signal: NodeJS.Signals) => Promise<Result>
}

/** Starts `effect-make emulator --port 0 ...args` and waits until it says where it listens. */
export const startEmulator = async (args: ReadonlyArray<string>): Promise<RunningEmulator> => {
  const command = [...await program(), "emulator", "--port", "0", ...args]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, { env: childEnv() })
    const done = collect(child)
    let seen = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`the emulator did not start: ${seen}`))
    }, 30_000)
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString()
      const match = /listening on (http:\/\/[^\s]+)/.exec(seen)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        const url = match[1]
        resolve({
          url,
          stop: (signal) => {
            child.kill(signal)
            return done
          }
        })
      }
    })
    void done.then((result) => {
      clearTimeout(timer)
      reject(new Error(`the emulator exited (${result.code}): ${result.stderr}`))
    })
  })
}
