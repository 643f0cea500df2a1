"""Copies a GGUF's metadata (no tensors) with tokenizer.ggml.pre replaced, so llama.cpp can be asked how one
real vocabulary tokenizes under another pre-tokenizer.

Usage: python retag_pretokenizer.py <in.gguf> <pre> <out.gguf>
Needs `pip install gguf`. Load the result in llama.cpp with vocab_only (node-llama-cpp: vocabOnly: true).
"""
import sys

import gguf
from gguf import GGUFReader, GGUFValueType, GGUFWriter


def main(src, pre, dst):
    reader = GGUFReader(src)
    arch = reader.fields["general.architecture"].contents()
    writer = GGUFWriter(dst, arch)
    for name, field in reader.fields.items():
        if name.startswith("GGUF.") or name == "general.architecture":
            continue
        value = pre if name == "tokenizer.ggml.pre" else field.contents()
        vtype = field.types[0]
        if vtype == GGUFValueType.ARRAY:
            writer.add_key_value(name, value, vtype, sub_type=field.types[-1])
        else:
            writer.add_key_value(name, value, vtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
