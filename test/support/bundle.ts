// Programs the tests spawn (the CLI, the examples), bundled once with esbuild instead of compiled by tsx in every
// child: a tsx child spends seconds compiling the sources before it runs, a bundled one starts in a fraction of that.
// The bundle sits in node_modules/.cache (so its external packages resolve as the sources' do) and carries an inline
// source map, so that stack traces (`--verbose`) still name the .ts files. Imports esbuild and node:* only.
import { afterAll } from "@effect/vitest"
import { build } from "esbuild"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { basename, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const cacheRoot = fileURLToPath(new URL("../../node_modules/.cache/", import.meta.url))

const made: Array<string> = []

// Registered in the file that imports this module: its bundles are removed when its tests are done, so nothing
// accumulates run after run.
afterAll(() => {
  for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true })
})

/**
 * Bundles `entry` (an absolute path to a .ts program) and answers the path of the ES module to run with
 * `node --enable-source-maps`. With `sourceUrl`, `import.meta.url` stays the source's (an example reads files beside
 * itself); without, it is the bundle's (the CLI checks that it is the program being run).
 */
export const bundle = async (entry: string, options?: { readonly sourceUrl?: boolean }): Promise<string> => {
  mkdirSync(cacheRoot, { recursive: true })
  const directory = mkdtempSync(join(cacheRoot, "effect-make-test-"))
  made.push(directory)
  const outfile = join(directory, `${basename(entry, ".ts")}.mjs`)
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    logLevel: "error",
    ...(options?.sourceUrl === true ? { define: { "import.meta.url": JSON.stringify(pathToFileURL(entry).href) } } : {})
  })
  return outfile
}

/** The arguments that run a bundle: source maps on, so that a stack trace names the .ts sources. */
export const nodeArgs = (bundled: string): ReadonlyArray<string> => ["--enable-source-maps", bundled]
