// Builds the markdown table of docs/results.md from the report JSONs written by scripts/results-sparsity.sh.
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? "out/results";
const rows = [];
const densePath = path.join(dir, "dense.json");
const dense = fs.existsSync(densePath) ? JSON.parse(fs.readFileSync(densePath, "utf8")) : null;
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "dense.json").sort()) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
  const target = r.recipe.pattern ?? `${Math.round(r.recipe.sparsity * 100)}%${r.recipe.allocation === "owl" ? " OWL" : ""}`;
  const solver = r.recipe.solver ?? {};
  const options = r.recipe.method === "apt" ? `${solver["pattern-rule"] ?? "joint"}, ${solver.compensation ?? "block"}` : "";
  rows.push({
    method: r.recipe.method, target, options,
    before: r.perplexity.before?.perplexity ?? dense?.perplexity, after: r.perplexity.after.perplexity,
    tokens: r.perplexity.after.scored_tokens, samples: r.calibration.samples,
    seconds: r.timings.prune, heap: r.memory.heap_peak / 1048576,
  });
}
if (dense) console.log(`Dense: PPL ${dense.perplexity.toFixed(3)} over ${dense.scored_tokens} tokens (${dense.protocol}).\n`);
console.log("| method | target | options | PPL before | PPL after | scored tokens | calibration | prune time (s) | peak heap (MiB) |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.method} | ${r.target} | ${r.options} | ${r.before.toFixed(3)} | ${r.after.toFixed(3)} | ${r.tokens} | ${r.samples}×512 | ${r.seconds.toFixed(0)} | ${r.heap.toFixed(0)} |`);
}
