// Loads a reference GGUF and files re-encoded by prune4j's GgufWriter in llama.cpp (node-llama-cpp, CPU) and compares
// the tokenization and the next-token logits at every position of a prompt.
// Usage: node tools/llamacpp/check_gguf_writer.mjs REFERENCE.gguf REWRITTEN.gguf [MORE.gguf ...]
// Set NODE_LLAMA_CPP to the package's dist/index.js when node-llama-cpp is not resolvable from here.
const { getLlama } = await import(process.env.NODE_LLAMA_CPP ?? "node-llama-cpp");

const prompt = "Once upon a time, there was a little girl named Lily. She loved to play";
const llama = await getLlama({ gpu: false, build: "never" });

async function run(modelPath) {
    const model = await llama.loadModel({ modelPath });
    const tokens = model.tokenize(prompt, true);
    const context = await model.createContext({ contextSize: 128 });
    const sequence = context.getSequence();
    const input = tokens.map((t) => [t, { generateNext: { logits: true } }]);
    const output = await sequence.controlledEvaluate(input);
    const logits = output.map((o) => o.next.logits);
    await context.dispose();
    await model.dispose();
    return { tokens: Array.from(tokens), logits };
}

const [reference, ...others] = process.argv.slice(2);
const ref = await run(reference);
console.log(`${reference}: ${ref.tokens.length} tokens, vocabulary ${ref.logits[0].size}`);
let failed = false;
for (const path of others) {
    const got = await run(path);
    const sameTokens = JSON.stringify(got.tokens) === JSON.stringify(ref.tokens);
    let maxDiff = 0, argmaxAgree = 0;
    for (let i = 0; i < ref.logits.length; i++) {
        for (const [token, value] of ref.logits[i]) maxDiff = Math.max(maxDiff, Math.abs(value - got.logits[i].get(token)));
        if (ref.logits[i].keys().next().value === got.logits[i].keys().next().value) argmaxAgree++;
    }
    console.log(`${path}: tokens ${sameTokens ? "identical" : "DIFFERENT"}, max |logit difference| ${maxDiff.toExponential(3)}, `
        + `argmax agrees at ${argmaxAgree}/${ref.logits.length} positions`);
    if (!sameTokens || argmaxAgree !== ref.logits.length) failed = true;
}
process.exit(failed ? 1 : 0);
