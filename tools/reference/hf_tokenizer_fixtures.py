"""Small Hugging Face tokenizer.json fixtures and the ids the `tokenizers` library gives for them.

Usage: python hf_tokenizer_fixtures.py <out-dir>
Needs `pip install tokenizers`. Writes, for two tiny BPE tokenizers trained here on a few sentences,
  <name>.tokenizer.json and <name>.expected.json ({"cases": [{"text", "ids", "decoded"}]}):
  bytelevel-llama3: byte-level BPE with the Llama-3 split regex, merges stored as ["a", "b"] pairs,
                    one special and one non-special added token;
  bytefallback-spm: Llama-2 style BPE (normalizer Prepend + Replace " " -> "\u2581", byte_fallback with
                    <0x00>..<0xFF>, unk, fuse_unk), merges stored as "a b" strings.
The cases avoid special-token text: Hugging Face parses it out of plain text, llama.cpp's parse_special=false
(and prune4j) do not.
"""
import json
import sys
from pathlib import Path

from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers, Regex
from tokenizers.processors import TemplateProcessing

LLAMA3 = ("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
          "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+")
CORPUS = [
    "The quick brown fox jumps over the lazy dog. The dog didn't care.",
    "Tokenizers split text into words, then merge the most frequent pairs of symbols.",
    "Numbers like 12345 and 2024 are split into groups; they're common in reports.",
    "We'll see whether the merges learned here cover the test sentences well enough.",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u2014 a few accented words, and some   extra   spaces.\n\nNew paragraph.",
] * 20
CASES = [
    "", " ", "Hello world", "The quick brown fox didn't jump.", "  leading and trailing  ",
    "numbers 1234567 and 42", "line\nbreaks\n\nand\ttabs", "caf\u00e9 \u00fcber", "unseen \u65e5\u672c \U0001F600",
    "THEY'RE HERE", "a <tag> in text", "<tag><tag>x",
]


def train(tok, trainer):
    tok.train_from_iterator(CORPUS, trainer)
    return tok


def bytelevel_llama3():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    train(tok, trainers.BpeTrainer(vocab_size=400, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                   special_tokens=["<|begin|>"]))
    tok.add_tokens(["<tag>"])
    tok.post_processor = TemplateProcessing(single="<|begin|> $A", special_tokens=[("<|begin|>", 0)])
    return tok


def bytefallback_spm():
    tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Strip(" ", 1, 0)])
    byte_tokens = ["<0x%02X>" % b for b in range(256)]
    train(tok, trainers.BpeTrainer(vocab_size=700, special_tokens=["<unk>", "<s>", "</s>"] + byte_tokens))
    # normalized=False: matched in the raw text, each stretch around it normalized on its own (Prepend included)
    tok.add_tokens([AddedToken("<tag>", normalized=False)])
    return tok


def write(out, name, tok, merges_as_strings):
    path = out / f"{name}.tokenizer.json"
    tok.save(str(path))
    data = json.loads(path.read_text())
    # byte tokens belong to the vocabulary only, as in Llama-2's tokenizer.json (the trainer also lists them as added)
    data["added_tokens"] = [t for t in data["added_tokens"] if not t["content"].startswith("<0x")]
    if merges_as_strings:
        data["model"]["merges"] = [" ".join(m) if isinstance(m, list) else m for m in data["model"]["merges"]]
    else:
        data["model"]["merges"] = [m.split(" ") if isinstance(m, str) else m for m in data["model"]["merges"]]
    path.write_text(json.dumps(data, ensure_ascii=False) + "\n")
    tok = Tokenizer.from_file(str(path))  # the ids come from the file as written
    cases = []
    for text in CASES:
        ids = tok.encode(text, add_special_tokens=False).ids
        cases.append({"text": text, "ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False)})
    (out / f"{name}.expected.json").write_text(json.dumps({"cases": cases}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    write(out, "bytelevel-llama3", bytelevel_llama3(), merges_as_strings=False)
    write(out, "bytefallback-spm", bytefallback_spm(), merges_as_strings=True)
