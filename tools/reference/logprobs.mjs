#!/usr/bin/env node
// Per-token log-probabilities of a GGUF model as llama.cpp computes them, under prune4j's perplexity protocol.
// Writes the golden fixtures that prune4j's own forward pass is checked against. See README.md.

import {writeFileSync, renameSync} from "node:fs";
import {parseArgs} from "node:util";
import {loadRuntime, loadModel, fail, positiveInt, kvCacheTypeOf} from "./lib/runtime.mjs";
import {readInput, scoreTokens, summarize} from "./lib/protocol.mjs";

const USAGE = `usage: node logprobs.mjs --model FILE.gguf (--text FILE | --tokens FILE.json)
       [--window N=512] [--max-tokens N=all] [--threads N=2] [--kv-cache f32|f16] [--decimals N=6] [--fast]
       [--out FILE.json]`;

const {values: opts} = parseArgs({
    options: {
        model: {type: "string"},
        text: {type: "string"},
        tokens: {type: "string"},
        window: {type: "string", default: "512"},
        "max-tokens": {type: "string"},
        threads: {type: "string", default: "2"},
        "kv-cache": {type: "string", default: "f32"},
        decimals: {type: "string", default: "6"},
        fast: {type: "boolean", default: false},
        out: {type: "string"},
        help: {type: "boolean", default: false},
    },
    strict: true,
});
if (opts.help) {
    process.stdout.write(USAGE + "\n");
    process.exit(0);
}
if (opts.model == null) fail(`--model is required\n${USAGE}`);
const window = positiveInt("window", opts.window);
const maxTokens = opts["max-tokens"] == null ? Infinity : positiveInt("max-tokens", opts["max-tokens"]);
const threads = positiveInt("threads", opts.threads);
const kvCacheType = kvCacheTypeOf(opts["kv-cache"]);
const decimals = Number(opts.decimals);
if (!Number.isInteger(decimals) || decimals < 0 || decimals > 17) fail(`--decimals must be 0..17, got "${opts.decimals}"`);

const runtime = await loadRuntime(threads);
const {model, description: modelInfo} = await loadModel(runtime.llama, opts.model);
const {tokens, input} = readInput(model, {textFile: opts.text, tokensFile: opts.tokens, maxTokens});
const scoredRun = await scoreTokens({
    model, tokens, window, threads,
    addBos: modelInfo.addBos,
    bos: modelInfo.bos,
    exact: !opts.fast,
    kvCacheType,
    onWindow: (w) => process.stderr.write(`window at ${w.start}: ${w.length} tokens\n`),
});
const summary = summarize(scoredRun.logprobs);
const round = (x) => (x == null ? null : Number(x.toFixed(decimals)));

const result = {
    tool: "prune4j tools/reference/logprobs.mjs",
    runtime: runtime.description,
    model: {...modelInfo, vocabSize: scoredRun.vocabSize},
    input,
    settings: {
        window,
        maxTokens: Number.isFinite(maxTokens) ? maxTokens : null,
        bosPrepended: modelInfo.addBos,
        scoring: opts.fast ? "fast: llama.cpp float32 sum of exp(logit - max)" : "exact: full logit row, log-softmax in float64",
        threads,
        contextSize: scoredRun.contextSize,
        batchSize: scoredRun.batchSize,
        kvCache: kvCacheType,
        flashAttention: false,
        gpu: false,
        decimals,
    },
    windows: scoredRun.windows,
    scored: summary.scored,
    meanNll: summary.meanNll,
    perplexity: summary.perplexity,
    evalSeconds: Number((scoredRun.evalMillis / 1000).toFixed(3)),
    tokens,
    logprobs: scoredRun.logprobs.map(round),
    argmax: scoredRun.argmax,
};

const json = toCompactJson(result) + "\n";
if (opts.out == null) {
    process.stdout.write(json);
} else {
    // Temp name then rename: an interrupted run never leaves a truncated fixture under the real name.
    const temp = `${opts.out}.tmp-${process.pid}`;
    writeFileSync(temp, json);
    renameSync(temp, opts.out);
    process.stderr.write(`wrote ${opts.out}: ${summary.scored} tokens scored, mean NLL ${summary.meanNll.toFixed(6)}, `
        + `perplexity ${summary.perplexity.toFixed(4)}\n`);
}

/** Pretty JSON, except that a list of numbers stays on one line, so a fixture stays small and diffable. */
function toCompactJson(value, indent = "") {
    const inner = indent + "  ";
    if (Array.isArray(value)) {
        if (value.every((x) => x === null || typeof x === "number")) return JSON.stringify(value);
        return `[\n${value.map((x) => inner + toCompactJson(x, inner)).join(",\n")}\n${indent}]`;
    }
    if (value !== null && typeof value === "object") {
        const fields = Object.entries(value).filter(([, v]) => v !== undefined);
        if (fields.length === 0) return "{}";
        return `{\n${fields.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toCompactJson(v, inner)}`).join(",\n")}\n${indent}}`;
    }
    return JSON.stringify(value);
}
