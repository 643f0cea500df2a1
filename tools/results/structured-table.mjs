// Builds the structured-pruning table of docs/results.md from the JSONs written by scripts/results-structured.sh:
// <name>.json (prune report, PPL at window 512), <name>-w128.json, <name>-lora-w512.json, <name>-lora-w128.json,
// <name>-lora-run.json, and the same for the dense model (dense-*.json).
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? "out/structured";
const read = (f) => {
  const p = path.join(dir, f);
  return fs.existsSync(p) ? JSON.parse(fs.readFileSync(p, "utf8")) : null;
};
const fmt = (x) => (x == null ? "" : x >= 1000 ? x.toFixed(0) : x.toFixed(2));
// A pruned model's perplexity with its change against the dense model under the same treatment (window, recovery):
// LoRA on the genre lowers the dense perplexity too, so only the gap to the recovered dense model shows recovery.
const vs = (x, base) => (x == null ? "" : base == null || x >= 1000 ? fmt(x)
  : `${fmt(x)} (${x >= base ? "+" : "−"}${Math.abs(100 * (x / base - 1)).toFixed(0)}%)`);
const ppl = (j) => j?.perplexity ?? null;

const order = ["l2", "wanda-sp", "flap", "llm-pruner", "depth", "random"];
const reports = fs.readdirSync(dir)
  .filter((f) => /^[a-z0-9-]+-0\.\d+\.json$/.test(f))
  .map((f) => ({ name: f.slice(0, -5), r: read(f) }))
  .sort((a, b) => order.indexOf(a.r.recipe.method) - order.indexOf(b.r.recipe.method) || a.r.recipe.ratio - b.r.recipe.ratio);

const dense = { w512: ppl(read("dense-w512.json")), w128: ppl(read("dense-w128.json")),
  lora512: ppl(read("dense-lora-w512.json")), lora128: ppl(read("dense-lora-w128.json")) };
const run = read("dense-lora-run.json") ?? reports.map((x) => read(`${x.name}-lora-run.json`)).find((x) => x);
if (run) {
  const s = run.settings;
  console.log(`Recovery for every row: LoRA r=${s.lora_rank}, alpha ${s.lora_alpha}, ${s.steps} steps × ${s.batch} × ${s.seq_len}`
    + ` tokens of sotu:calibration, lr ${s.lr}, seed ${s.seed}; the merged model is scored.\n`);
}
console.log("| method | ratio | allocation | params after | removed of block linears | PPL w512 | PPL w128 | PPL w512 after LoRA | PPL w128 after LoRA |");
console.log("|---|---|---|---|---|---|---|---|---|");
console.log(`| dense | 0 | | 134.5 M | 0% | ${fmt(dense.w512)} | ${fmt(dense.w128)} | ${fmt(dense.lora512)} | ${fmt(dense.lora128)} |`);
for (const { name, r } of reports) {
  const rec = r.recipe;
  const alloc = rec.allocation + (rec["bias-compensation"] ? ", bias comp." : "")
    + (rec["protect-first"] || rec["protect-last"] ? `, protect ${rec["protect-first"] ?? 0}/${rec["protect-last"] ?? 0}` : "");
  const after = r.result.parameters.after / 1e6;
  console.log(`| ${rec.method} | ${rec.ratio} | ${alloc} | ${after.toFixed(1)} M | ${(100 * r.allocation.achieved_ratio).toFixed(1)}%`
    + ` | ${vs(r.result.perplexity?.after?.perplexity, dense.w512)} | ${vs(ppl(read(`${name}-w128.json`)), dense.w128)}`
    + ` | ${vs(ppl(read(`${name}-lora-w512.json`)), dense.lora512)} | ${vs(ppl(read(`${name}-lora-w128.json`)), dense.lora128)} |`);
}
