/**
 * Tokenizers that give the same token ids as llama.cpp for the same GGUF file, and Hugging Face tokenizer.json
 * support for safetensors models.
 * <p>
 * Entry points: {@link dev.prune4j.model.tokenizer.Tokenizers#fromGguf} and
 * {@link dev.prune4j.model.tokenizer.Tokenizers#fromTokenizerJson}, both returning a
 * {@link dev.prune4j.model.tokenizer.Tokenizer}: {@link dev.prune4j.model.tokenizer.SentencePieceBpe} for
 * {@code tokenizer.ggml.model = "llama"}, {@link dev.prune4j.model.tokenizer.BpeTokenizer} for {@code "gpt2"} and for
 * tokenizer.json BPE models. Encoding never adds BOS/EOS and never parses special-token text; user-defined tokens
 * are split out first, as in llama.cpp.
 * <p>
 * Byte-level pre-tokenizers ({@code tokenizer.ggml.pre}) supported: the llama3 family (llama3, llama-bpe, …), qwen2
 * family, gpt-2 family, smollm/starcoder family (digits one by one, then GPT-2), and {@code default}; an unknown
 * name is refused with the list of supported ones (llama.cpp refuses too); a missing one means {@code default} with a
 * logged warning (as in llama.cpp).
 * <p>
 * Known differences from llama.cpp, none of which the golden tests hit:
 * <ul>
 *   <li>Unicode classes come from Java (Unicode 16); llama.cpp's table is Unicode 15.1, so the ~5,200 code points
 *       new in Unicode 16 split differently.</li>
 *   <li>llama.cpp marks only the first fill-in-the-middle token of each kind as control; we mark every candidate.
 *       Model-name-specific attribute hacks (phi-3 rstrip, gpt-oss, gemma4) are not reproduced.</li>
 *   <li>A SentencePiece byte with neither a {@code <0xXX>} nor a one-character token makes llama.cpp throw; we emit
 *       the unknown token.</li>
 *   <li>Text with lone UTF-16 surrogates has no UTF-8 form; llama.cpp never sees such text.</li>
 * </ul>
 * For tokenizer.json, added tokens are always matched in the raw text (Hugging Face's {@code normalized = false});
 * special ones are not matched at all, unlike Hugging Face's own encode.
 */
package dev.prune4j.model.tokenizer;
