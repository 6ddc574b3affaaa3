// Prints the gzip size of every JS and CSS file in dist/assets and the JS total,
// and fails the build when the JS total passes the 1.5 MB budget.
import { readdirSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'

const dir = new URL('../dist/assets/', import.meta.url).pathname
const LIMIT = 1.5 * 1024 * 1024
let js = 0, css = 0
const rows = []
for (const f of readdirSync(dir).sort()) {
  if (!/\.(js|css)$/.test(f)) continue
  const gz = gzipSync(readFileSync(join(dir, f)), { level: 9 }).length
  if (f.endsWith('.js')) js += gz; else css += gz
  rows.push([f, gz])
}
for (const [f, gz] of rows) console.log(`  ${(gz / 1024).toFixed(1).padStart(8)} KiB gz  ${f}`)
console.log(`bundle: JS ${(js / 1024).toFixed(1)} KiB gzip total (budget 1536 KiB), CSS ${(css / 1024).toFixed(1)} KiB gzip`)
if (js > LIMIT) { console.error('bundle: JS over budget'); process.exit(1) }
