// `npm run bench`: runs bench/run.ts as the client ships. tsx compiles with esbuild's `keepNames`, which wraps every
// function made per call in a `__name(...)` call; measured, that made a loopback `Organizations.get` 5-20 % slower than
// the same code compiled by tsc into dist/. So the bench is bundled once without it (the Effect packages, undici and
// the SDK stay external, loaded as installed) into node_modules/.cache, and run with plain node. The emulator servers
// the bench spawns stay under tsx: they are what the clients call, not what is measured.
import { build } from "esbuild"
import { spawnSync } from "node:child_process"
import { mkdirSync } from "node:fs"
import { join } from "node:path"

const directory = join(import.meta.dirname, "../node_modules/.cache/effect-make-bench")
mkdirSync(directory, { recursive: true })
const outfile = join(directory, "run.mjs")
await build({
  entryPoints: [join(import.meta.dirname, "run.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "inline",
  logLevel: "error",
  // the bench finds its servers and writes its results beside its sources
  define: { "import.meta.dirname": JSON.stringify(import.meta.dirname) }
})
const { status } = spawnSync(process.execPath, ["--enable-source-maps", outfile], { stdio: "inherit" })
process.exit(status ?? 1)
