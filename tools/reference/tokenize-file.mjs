// Token count and SHA-256 of the id sequence that llama.cpp gives for a whole text file, for large-text fixtures.
//
// Usage: node tokenize-file.mjs <model.gguf> <text-file>
// Prints {"model", "tokens", "idsSha256"}; the hash is over the ids as big-endian int32, no BOS, no special parsing.
import {getLlama} from "node-llama-cpp";
import {readFileSync} from "node:fs";
import {basename} from "node:path";
import {createHash} from "node:crypto";

const [modelPath, textPath] = process.argv.slice(2);
const llama = await getLlama({gpu: false, build: "never", logLevel: "error"});
const model = await llama.loadModel({modelPath, gpuLayers: 0, vocabOnly: true});
const ids = model.tokenize(readFileSync(textPath, "utf8"), false);
const bytes = Buffer.alloc(ids.length * 4);
ids.forEach((id, i) => bytes.writeInt32BE(id, i * 4));
console.log(JSON.stringify({model: basename(modelPath), tokens: ids.length,
    idsSha256: createHash("sha256").update(bytes).digest("hex")}));
await model.dispose();
