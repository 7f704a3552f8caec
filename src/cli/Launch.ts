// What the `effect-make` launcher (./bin.ts) needs before any peer is loaded: the packages the command imports, and
// the one sentence that tells which are missing and how to install them. Floor "the launcher": imports nothing at all.
/**
 * @since 1.0.0
 */

/**
 * Every package the command imports that the user installs beside effect-make (they are peer dependencies,
 * `@effect/platform-node` an optional one, so that an app using only the main entry does not carry it), with the
 * range of package.json's `peerDependencies` (a test keeps the two equal). `effect/cli` is part of `effect` on
 * Effect 4; `yaml` is a dependency: npm always installs it.
 *
 * @since 1.0.0
 * @category packages
 */
export const needed: ReadonlyArray<readonly [name: string, range: string]> = [
  ["effect", "^4.1.5"],
  ["@effect/platform-node", "^4.1.5"]
]

/**
 * The packages `effect-make apply --durable` imports besides {@link needed}, with package.json's peer ranges: the
 * PostgreSQL driver of the durable engine (an optional peer, loaded by that command alone).
 *
 * @since 1.0.0
 * @category packages
 */
export const neededDurable: ReadonlyArray<readonly [name: string, range: string]> = [["@effect/sql-pg", "^4.1.5"]]

/**
 * The exit code when the command cannot start: `ExitCode.failed` ("anything else"; ./ExitCode.ts imports `effect`,
 * which the launcher must not load before it knows it is there).
 *
 * @since 1.0.0
 * @category exit codes
 */
export const cannotStart = 1

/** `a`, `a and b`, `a, b and c`. */
const list = (names: ReadonlyArray<string>): string =>
  names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`

/**
 * The one sentence for missing packages: which, and the `npm install` line that adds them (at the ranges we support).
 *
 * @since 1.0.0
 * @category messages
 */
export const missingMessage = (missing: ReadonlyArray<string>): string => {
  const specs = [...needed, ...neededDurable].filter(([name]) => missing.includes(name)).map(([name, range]) =>
    `${name}@${range}`
  )
  const them = missing.length === 1 ? "it" : "them"
  const are = missing.length === 1 ? "is" : "are"
  return `effect-make: the command needs ${list(missing)}, which ${are} not installed; install ${them} beside ` +
    `effect-make with: npm install ${specs.join(" ")}`
}

/**
 * The one sentence for any other failure to load the command (a broken install, an Effect of another major line):
 * what failed, and the install line of every package the command needs.
 *
 * @since 1.0.0
 * @category messages
 */
export const loadFailedMessage = (reason: string): string =>
  `effect-make: the command could not start (${reason.split("\n")[0]?.trim() ?? reason}); reinstall it with: ` +
  `npm install effect-make@1 ${needed.map(([name, range]) => `${name}@${range}`).join(" ")}`

/**
 * The needed packages (or those of `packages`) that do not resolve, by a resolver such as `import.meta.resolve`
 * (which throws for a package that is not installed).
 *
 * @since 1.0.0
 * @category packages
 */
export const missingPackages = (
  resolve: (name: string) => unknown,
  packages: ReadonlyArray<readonly [name: string, range: string]> = needed
): ReadonlyArray<string> =>
  packages.map(([name]) => name).filter((name) => {
    try {
      resolve(name)
      return false
    } catch {
      return true
    }
  })

/**
 * Whether an error is Node's "module not found" (a package or file an import names is not there).
 *
 * @since 1.0.0
 * @category errors
 */
export const isModuleNotFound = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error &&
  (error.code === "ERR_MODULE_NOT_FOUND" || error.code === "MODULE_NOT_FOUND")
