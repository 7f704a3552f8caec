// `npm run bench`: runs bench/run.ts as the package ships. tsx compiles with esbuild's `keepNames`, which wraps every
// function made per call in a `__name(...)` call (measured on the Effect 3 line: 5-20 % slower than the same code from
// tsc), so the bench is bundled once without it into node_modules/.cache (the packages stay external, loaded as
// installed) and run with plain node: the Node this script runs on (24 from `npm run bench`). The emulator the workflow
// sections run in a child process (bench/emulator-server.ts) and the replica processes of the replicas section
// (bench/replica.ts) are bundled beside it alike, as the package ships them.
import { build } from "esbuild"
import { spawnSync } from "node:child_process"
import { mkdirSync } from "node:fs"
import { join } from "node:path"

const directory = join(import.meta.dirname, "../node_modules/.cache/effect-make-bench")
mkdirSync(directory, { recursive: true })
await build({
  entryPoints: ["run", "emulator-server", "replica"].map((name) => join(import.meta.dirname, `${name}.ts`)),
  outdir: directory,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  sourcemap: "inline",
  logLevel: "error",
  // the bench finds its servers and writes its results beside its sources
  define: { "import.meta.dirname": JSON.stringify(import.meta.dirname) }
})
const { status } = spawnSync(process.execPath, ["--enable-source-maps", join(directory, "run.mjs")], { stdio: "inherit" })
process.exit(status ?? 1)
