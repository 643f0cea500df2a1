// Loading llama.cpp (through node-llama-cpp) the same way for every reference tool: CPU only, a fixed
// thread count, the prebuilt binary only (never a local compile), and a description of what was loaded
// so every output file says which runtime and which model file produced it.

import {createHash} from "node:crypto";
import {createReadStream, readFileSync} from "node:fs";
import {basename} from "node:path";
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

const NODE_LLAMA_CPP_PACKAGE = new URL("../node_modules/node-llama-cpp/package.json", import.meta.url);

/** sha256 of a file, hex, streamed so a 250 MB model does not need to fit in one buffer. */
export async function sha256File(path) {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(path)) hash.update(chunk);
    return hash.digest("hex");
}

/** llama.cpp on the CPU with at most `threads` threads. */
export async function loadRuntime(threads) {
    const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: threads});
    const nodeLlamaCpp = JSON.parse(readFileSync(NODE_LLAMA_CPP_PACKAGE, "utf8")).version;
    return {
        llama,
        description: {
            nodeLlamaCpp,
            llamaCpp: llama.llamaCppRelease,
            buildType: llama.buildType,
            gpu: llama.gpu,
            threads,
            systemInfo: llama.systemInfo.trim(),
        },
    };
}

/** Loads a GGUF fully on the CPU and describes it: file, hash, architecture, vocabulary and the BOS rule. */
export async function loadModel(llama, modelPath) {
    const model = await llama.loadModel({modelPath, gpuLayers: 0});
    const addBosMetadata = model.fileInfo.metadata?.tokenizer?.ggml?.add_bos_token;
    return {
        model,
        description: {
            file: basename(modelPath),
            sha256: await sha256File(modelPath),
            architecture: model.architecture,
            type: model.typeDescription,
            bos: model.tokens.bos,
            // What llama.cpp decided (llama_vocab_get_add_bos): the key below when present, else its
            // per-tokenizer default. The protocol follows this resolved value.
            addBos: model.tokens.shouldPrependBosToken,
            addBosMetadata: addBosMetadata === undefined ? null : addBosMetadata,
        },
    };
}

/** Prints `message` to stderr and ends the process with status 2 (bad usage or input). */
export function fail(message) {
    process.stderr.write(`error: ${message}\n`);
    process.exit(2);
}

/** A positive integer option, or a clear error naming the option. */
export function positiveInt(name, value) {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) fail(`--${name} must be a positive integer, got "${value}"`);
    return n;
}

/** The --kv-cache option ("f32" or "f16") as llama.cpp's type name. */
export function kvCacheTypeOf(value) {
    const type = String(value).toUpperCase();
    if (type !== "F32" && type !== "F16") fail(`--kv-cache must be f32 or f16, got "${value}"`);
    return type;
}
