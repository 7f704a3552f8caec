// Programs the tests spawn (the CLI, the examples), bundled once with esbuild instead of compiled by tsx in every
// child: a tsx child spends seconds compiling the sources before it runs, a bundled one starts in a fraction of that.
// The bundle sits in the run's folder under node_modules/.cache (./bundleRoot.ts makes it and removes it after the
// run) and carries an inline source map, so that stack traces (`--verbose`) still name the .ts files. Imports
// esbuild, vitest's `inject` and node:* only.
import { build } from "esbuild"
import { mkdtempSync } from "node:fs"
import { basename, join } from "node:path"
import { pathToFileURL } from "node:url"
import { inject } from "vitest"

/**
 * Bundles `entry` (an absolute path to a .ts program) and answers the path of the ES module to run with
 * `node --enable-source-maps`. With `sourceUrl`, `import.meta.url` stays the source's (an example reads files beside
 * itself); without, it is the bundle's.
 */
export const bundle = async (entry: string, options?: { readonly sourceUrl?: boolean }): Promise<string> => {
  const directory = mkdtempSync(join(inject("bundleRoot"), "bundle-"))
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
