// Table of scripts/bench-structured.sh: prefill and decode tokens/s of each model in prune4j and llama.cpp, the
// median over rounds, and the speed-up against the first (baseline) model.
//   node tools/results/speed-table.mjs DIR LABEL=MODEL ...
import fs from "node:fs";
import path from "node:path";

const [dir, ...entries] = process.argv.slice(2);
const labels = entries.map((e) => e.split("=")[0]);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const files = fs.readdirSync(dir);
const load = (prefix) => files.filter((f) => f.startsWith(prefix) && /-r\d+\.json$/.test(f))
  .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));

function measure(label) {
  const out = {};
  const ours = load(`prune4j-${label}-r`);
  for (const n of [128, 512]) {
    const rows = ours.map((j) => j.speed.find((r) => r.prompt_tokens === n));
    out[`p4j-prefill-${n}`] = median(rows.map((r) => r.prefill_tokens_per_second));
    out[`p4j-decode-${n}`] = median(rows.map((r) => r.decode_tokens_per_second));
    const llama = load(`llama-${label}-${n}-r`);
    out[`ll-prefill-${n}`] = median(llama.map((j) => j.speed.prefillTokensPerSecond.median));
    out[`ll-decode-${n}`] = median(llama.map((j) => j.speed.decodeTokensPerSecond.median));
  }
  out.params = ours[0]?.model?.parameters;
  out.rounds = ours.length;
  return out;
}
const m = Object.fromEntries(labels.map((l) => [l, measure(l)]));
const base = m[labels[0]];
const cell = (l, k) => `${m[l][k].toFixed(1)}${l === labels[0] ? "" : ` (${(m[l][k] / base[k]).toFixed(2)}×)`}`;
const cols = [["prefill 128", "prefill-128"], ["decode @128", "decode-128"], ["prefill 512", "prefill-512"], ["decode @512", "decode-512"]];
for (const [engine, key] of [["prune4j", "p4j"], ["llama.cpp", "ll"]]) {
  console.log(`\n${engine} (tokens/s; median over ${base.rounds} rounds; × = against ${labels[0]})\n`);
  console.log(`| model | ${cols.map((c) => c[0]).join(" | ")} |`);
  console.log(`|---|${cols.map(() => "---:").join("|")}|`);
  for (const l of labels) console.log(`| ${l} | ${cols.map((c) => cell(l, `${key}-${c[1]}`)).join(" | ")} |`);
}
