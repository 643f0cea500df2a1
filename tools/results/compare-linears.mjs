// Compares two prune reports linear by linear: the relative output error each method left (measured on the
// calibration inputs as the pipeline saw them), summarised by role, and the solve time.
//   node tools/results/compare-linears.mjs A.json B.json
import fs from "node:fs";

const [a, b] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
const solver = (r) => r.recipe.method === "apt" ? ` (${r.recipe.solver?.["pattern-rule"] ?? "joint"}, ${r.recipe.solver?.compensation ?? "block"})` : "";
const label = (r) => `${r.recipe.method} ${r.recipe.pattern ?? r.recipe.sparsity}${r.recipe.allocation === "owl" ? " OWL" : ""}${solver(r)}`;
const byName = new Map(b.linears.map((l) => [l.name, l]));
const roles = new Map();
let wins = 0, total = 0;
for (const la of a.linears) {
  const lb = byName.get(la.name);
  if (!lb) continue;
  const s = roles.get(la.role) ?? { n: 0, logRatio: 0, aWins: 0, aSec: 0, bSec: 0 };
  s.n++;
  s.logRatio += Math.log(la.relativeError / lb.relativeError);
  if (la.relativeError < lb.relativeError) { s.aWins++; wins++; }
  s.aSec += la.seconds; s.bSec += lb.seconds;
  roles.set(la.role, s);
  total++;
}
console.log(`| role | linears | ${label(a)} lower error | geometric mean error ratio ${label(a)} / ${label(b)} | seconds ${label(a)} | seconds ${label(b)} |`);
console.log("|---|---|---|---|---|---|");
for (const [role, s] of roles) {
  console.log(`| ${role} | ${s.n} | ${s.aWins} | ${Math.exp(s.logRatio / s.n).toFixed(3)} | ${s.aSec.toFixed(0)} | ${s.bSec.toFixed(0)} |`);
}
console.log(`\n${label(a)} has the lower error on ${wins} of ${total} linears.`);
