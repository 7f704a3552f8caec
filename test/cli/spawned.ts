// `effect-make` as a child process, as a user runs it from this repository: src/cli/bin.ts under the root's tsx, on the
// Node running the suite, with no MAKE_* variable of this process and no colour. Shared by the process tests.
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url))
const bin = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url))

/** What a child wrote, and its exit code. */
export interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** The environment of a child: no MAKE_* variable of this process, no colour. */
export const childEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MAKE_"))),
  NO_COLOR: "1"
})

/** What a child wrote, and its exit code, once it has closed. */
export const collect = (child: ChildProcess): Promise<Result> =>
  new Promise((resolve, reject) => {
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
    child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

/** Starts `effect-make ...args` as a child process. */
export const spawnCli = (args: ReadonlyArray<string>): ChildProcess =>
  spawn(process.execPath, [tsx, bin, ...args], { env: childEnv() })

/** Runs `effect-make ...args` to the end. */
export const cli = (args: ReadonlyArray<string>): Promise<Result> => collect(spawnCli(args))

/** `effect-make emulator` on a port, listening. */
export interface RunningEmulator {
  readonly url: string
  readonly stop: (signal: NodeJS.Signals) => Promise<Result>
}

/** Starts `effect-make emulator --port 0 ...args` and waits until it says where it listens. */
export const startEmulator = (args: ReadonlyArray<string> = []): Promise<RunningEmulator> =>
  new Promise((resolve, reject) => {
    const child = spawnCli(["emulator", "--port", "0", ...args])
    const done = collect(child)
    let seen = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`the emulator did not start: ${seen}`))
    }, 30_000)
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(seen)
      if (match?.[1] === undefined) return
      clearTimeout(timer)
      const url = match[1]
      resolve({
        url,
        stop: (signal) => {
          child.kill(signal)
          return done
        }
      })
    })
    void done.then((result) => {
      clearTimeout(timer)
      reject(new Error(`the emulator exited (${result.code}): ${result.stderr}`))
    })
  })
