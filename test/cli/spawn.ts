// Helpers for the CLI tests: run `effect-make` as a child process (src/cli/main.ts bundled once, see
// ../support/bundle.ts) and collect its output and exit code; start the emulator command on a free port.
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { bundle, nodeArgs } from "../support/bundle.js"

export const main = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url))

/** The bundled CLI, built on first use and shared by every child of this test file. */
let bundled: Promise<string> | undefined
const program = (): Promise<ReadonlyArray<string>> => {
  bundled ??= bundle(main)
  return bundled.then(nodeArgs)
}

/** The environment of a child: no MAKE_API_TOKEN, no colour. */
const childEnv = (extra?: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra }
  delete env["MAKE_API_TOKEN"]
  return env
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
