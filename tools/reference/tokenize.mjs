// Token ids as llama.cpp computes them, for golden tokenizer fixtures.
//
// Usage: node tokenize.mjs <model.gguf> <cases.json> [out.json]
//   cases.json: a JSON array of strings.
//   Writes {model, vocabularyType, cases: [{text, ids, decoded}]} to out.json (or stdout).
//
// ids:     model.tokenize(text, false): no BOS/EOS added (node-llama-cpp calls llama_tokenize with
//          add_special = false) and special-token text not parsed (parse_special = false); user-defined
//          tokens are still split out first, as llama.cpp always does.
// decoded: model.detokenize(ids, false): llama_detokenize with remove_special = false and
//          unparse_special = false, i.e. control tokens render as nothing.
//
// node-llama-cpp returns [] for "" without calling llama.cpp; llama.cpp itself also returns no tokens for it.
import {getLlama} from "node-llama-cpp";
import {readFileSync, writeFileSync} from "node:fs";
import {basename} from "node:path";

const [modelPath, casesPath, outPath] = process.argv.slice(2);
if (!modelPath || !casesPath) {
    console.error("usage: node tokenize.mjs <model.gguf> <cases.json> [out.json]");
    process.exit(2);
}
const cases = JSON.parse(readFileSync(casesPath, "utf8"));
if (!Array.isArray(cases) || cases.some(c => typeof c !== "string")) {
    console.error(`${casesPath}: expected a JSON array of strings`);
    process.exit(2);
}

const llama = await getLlama({gpu: false, build: "never", logLevel: "error"});
const model = await llama.loadModel({modelPath, gpuLayers: 0, vocabOnly: true});
const result = {
    model: basename(modelPath),
    vocabularyType: model.vocabularyType,
    cases: cases.map(text => {
        const ids = Array.from(model.tokenize(text, false));
        return {text, ids, decoded: model.detokenize(ids, false)};
    }),
};
await model.dispose();

const json = JSON.stringify(result, null, 1)
    // one case's id list on one line keeps the fixture readable and small
    .replace(/\[\n\s+([\d,\s]+?)\n\s+\]/g, (_, body) => "[" + body.replace(/\s+/g, "") + "]");
if (outPath) writeFileSync(outPath, json + "\n");
else console.log(json);
