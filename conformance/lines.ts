// The lines under test: each names itself and starts its Make emulator as a child process on a free port.
// Imports node: modules only (no `effect`, no project source): the suite speaks HTTP to whatever each line runs.
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

/** How a test wants the emulator started: the emulator command's documented options. */
export interface StartOptions {
  /** `--token T`: the one token accepted. Without it the emulator accepts its documented default test token. */
  readonly token?: string
  /** `--rate-limit`: enforce each organization's `license.apiLimit` per sliding minute. */
  readonly rateLimit?: boolean
  /** `--sync-delay Nms`: how long a new organization stays unreadable without `wait=true`. */
  readonly syncDelayMillis?: number
  /** `--seed FILE` (an absolute path): the organizations and teams to start with instead of the default seed. */
  readonly seedFile?: string
}

/** An emulator listening on a loopback port. */
export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`: where `/openapi.json` is served. */
  readonly origin: string
  /** `${origin}/api/v2`: the Make API's base URL. */
  readonly api: string
  /** The token it accepts. */
  readonly token: string
  /** Stops it (SIGTERM, SIGKILL after 10 s) and resolves once the process has exited. */
  readonly stop: () => Promise<void>
}

/** What one run of a line's `effect-make` wrote, and how it exited. */
export interface RunResult {
  /** The exit code (`null` if a signal ended it). */
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** One line of the project (one Effect major) whose emulator must answer exactly as this suite says. */
export interface Line {
  readonly name: string
  readonly start: (options?: StartOptions) => Promise<RunningEmulator>
  /**
   * Runs this line's `effect-make ...args` to the end (the same tsx and bin as `start`), with no MAKE_* variable of
   * this process, no colour, and `env` added. Killed after 60 s.
   */
  readonly run: (args: ReadonlyArray<string>, env?: Readonly<Record<string, string>>) => Promise<RunResult>
}

/**
 * The token every line's emulator accepts when started without `--token` (documented in the README's command line
 * section: a well-known test token, the same in every copy of the package, not a secret).
 */
export const defaultToken = "6c3e2a1f-5b7d-4e8a-9c0d-1f2e3a4b5c6d"

const root = fileURLToPath(new URL("..", import.meta.url))

/** The emulator command's arguments for `options`, after `emulator --port 0`. */
const emulatorArgs = (options: StartOptions): ReadonlyArray<string> => [
  "emulator",
  "--port",
  "0",
  ...(options.token === undefined ? [] : ["--token", options.token]),
  ...(options.rateLimit === true ? ["--rate-limit"] : []),
  ...(options.syncDelayMillis === undefined ? [] : ["--sync-delay", `${options.syncDelayMillis}ms`]),
  ...(options.seedFile === undefined ? [] : ["--seed", options.seedFile])
]

/** Waits for the process to exit; SIGKILL after `millis` if it has not. */
const exited = (child: ChildProcess, millis: number): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => child.kill("SIGKILL"), millis)
    child.once("exit", () => {
      clearTimeout(timer)
      resolve()
    })
  })

/**
 * Spawns `command args` in `cwd` and resolves once it prints `listening on http://HOST:PORT` on stderr (the emulator
 * command's first line). Fails with what it printed if it exits first or says nothing for 60 s. stdout (one log line
 * per request) is discarded so that the pipe never fills.
 */
export const spawnEmulator = (
  command: string,
  args: ReadonlyArray<string>,
  cwd: string,
  token: string
): Promise<RunningEmulator> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NO_COLOR: "1", MAKE_API_TOKEN: "", MAKE_API_KEY: "" }
    })
    // A test run that dies must not leave emulators behind.
    const kill = () => child.kill("SIGKILL")
    process.once("exit", kill)
    let seen = ""
    let started = false
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`the emulator did not start within 60 s: ${seen}`))
    }, 60_000)
    child.stderr?.on("data", (chunk: Buffer) => {
      if (started) return
      seen += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(seen)
      if (match?.[1] === undefined) return
      started = true
      clearTimeout(timer)
      const origin = match[1]
      resolve({
        origin,
        api: `${origin}/api/v2`,
        token,
        stop: () => {
          process.removeListener("exit", kill)
          child.kill("SIGTERM")
          return exited(child, 10_000)
        }
      })
    })
    child.on("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on("exit", (code, signal) => {
      clearTimeout(timer)
      if (!started) reject(new Error(`the emulator exited (${code ?? signal}) before listening: ${seen}`))
    })
  })

/** The environment of a child command: no MAKE_* variable of this process, no colour, then `env`. */
const childEnv = (env: Readonly<Record<string, string>>): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MAKE_"))),
  NO_COLOR: "1",
  ...env
})

/** Spawns `command args` in `cwd`, collects what it writes and resolves with its exit code once it has closed. */
export const spawnCommand = (
  command: string,
  args: ReadonlyArray<string>,
  cwd: string,
  env: Readonly<Record<string, string>> = {}
): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: childEnv(env) })
    const kill = () => child.kill("SIGKILL")
    process.once("exit", kill)
    const timer = setTimeout(kill, 60_000)
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
    child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    child.on("error", (error) => {
      clearTimeout(timer)
      process.removeListener("exit", kill)
      reject(error)
    })
    child.on("close", (code) => {
      clearTimeout(timer)
      process.removeListener("exit", kill)
      resolve({ code, stdout, stderr })
    })
  })

/** The Effect 3 line (effect3/): its CLI from source through its own tsx, on the Node running this suite. */
const effect3: Line = {
  name: "effect3",
  start: (options = {}) => {
    const cwd = `${root}effect3`
    return spawnEmulator(
      process.execPath,
      [`${cwd}/node_modules/tsx/dist/cli.mjs`, "src/cli/bin.ts", ...emulatorArgs(options)],
      cwd,
      options.token ?? defaultToken
    )
  },
  run: (args, env) => {
    const cwd = `${root}effect3`
    return spawnCommand(process.execPath, [`${cwd}/node_modules/tsx/dist/cli.mjs`, "src/cli/bin.ts", ...args], cwd, env)
  }
}

/**
 * How the Effect 4 line's `effect-make` is run: the binary a user gets when `EFFECT_MAKE_BIN` names it (`.ci/run` sets
 * it to the one its smoke test installed from the packed tarball), else the CLI from source through the root's tsx.
 */
const effect4Command = (): ReadonlyArray<string> => {
  const installed = process.env["EFFECT_MAKE_BIN"]
  return installed === undefined || installed === ""
    ? [`${root}node_modules/tsx/dist/cli.mjs`, "src/cli/bin.ts"]
    : [installed]
}

/** The Effect 4 line (the repository root). */
export const effect4: Line = {
  name: "effect4",
  start: (options = {}) =>
    spawnEmulator(
      process.execPath,
      [...effect4Command(), ...emulatorArgs(options)],
      root,
      options.token ?? defaultToken
    ),
  run: (args, env) => spawnCommand(process.execPath, [...effect4Command(), ...args], root, env)
}

export const lines: ReadonlyArray<Line> = [effect4, effect3]
