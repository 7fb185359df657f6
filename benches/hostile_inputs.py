#!/usr/bin/env python3
"""Hostile inputs for the extraction bounds of issue 15 (item 1 and 11).

Writes one corpus folder per input under OUT (default: ./hostile), each
with the hostile file and one normal .txt beside it, so that

    /usr/bin/time -v target/release/repsearch index --threads 2 \
        --corpus OUT/NAME --index /tmp/idx-NAME

shows the peak RSS ("Maximum resident set size") of indexing it and that
the normal file is still indexed. The files are large (up to 2 MB on disk
but up to 2 GiB once inflated): generate them, never commit them.

    python3 benches/hostile_inputs.py [OUT] [--html-only]

Inputs:
  docx-60mb     an ~11 MB .docx whose document.xml holds 60 MB of text
  pdf-1gib      a ~1 MB PDF whose one page stream inflates to 1 GiB
  pdf-2gib      a ~2 MB PDF whose one page stream inflates to 2 GiB
  txt-30mb      a 30 MB .txt (just under the old --stream-mb 32, so read whole)
  txt-2x30mb    two of them, indexed in parallel
  html-137kb, html-1.1mb, html-10mb
                nested <div>s (`<div>` * n, a word, `</div>` * n)
"""

import os
import random
import sys
import zipfile
import zlib

MIB = 1024 * 1024
NORMAL = (
    "Annual report of the Kaunas city council.\n\n"
    "The council met in Kaunas in 2019 and approved the normalfilemarker budget.\n"
)

WORDS = (
    "ataskaita savivaldybė Vilniaus Kauno taryba biudžetas metai projektas "
    "statyba mokykla ligoninė kelias tiltas report council budget school "
    "hospital road bridge planning committee approved annual city region "
    "отчёт комиссия бюджет город строительство школа больница дорога"
).split()


def corpus(out, name):
    path = os.path.join(out, name)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "normal.txt"), "w", encoding="utf-8") as f:
        f.write(NORMAL)
    return path


def docx(path, text_bytes):
    """A .docx whose body holds about text_bytes of text in paragraphs."""
    rng = random.Random(15)
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/'
        'wordprocessingml/2006/main"><w:body>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head.encode())
            written = 0
            while written < text_bytes:
                words = " ".join(rng.choice(WORDS) for _ in range(120))
                para = f"<w:p><w:r><w:t>{words}.</w:t></w:r></w:p>".encode()
                part.write(para)
                written += len(words.encode()) + 1
            part.write(b"</w:body></w:document>")


def pdf(path, inflated_bytes):
    """A one-page PDF whose content stream inflates to inflated_bytes of
    zero bytes (PDF white space), FlateDecode."""
    comp = zlib.compressobj(9)
    chunk = bytes(MIB)
    parts = []
    left = inflated_bytes
    while left > 0:
        n = min(left, MIB)
        parts.append(comp.compress(chunk[:n]))
        left -= n
    parts.append(comp.flush())
    stream = b"".join(parts)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    with open(path, "wb") as f:
        f.write(out)


def text(path, total_bytes, seed):
    """A plain-text report of about total_bytes: paragraphs of words."""
    rng = random.Random(seed)
    written = 0
    with open(path, "w", encoding="utf-8") as f:
        while written < total_bytes:
            para = " ".join(rng.choice(WORDS) for _ in range(120)) + ".\n\n"
            f.write(para)
            written += len(para.encode())


def nested_html(path, total_bytes):
    """`<div>` * n + a word + `</div>` * n, about total_bytes long."""
    n = total_bytes // 11
    with open(path, "w") as f:
        f.write("<div>" * n + "deepword" + "</div>" * n)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = args[0] if args else "hostile"
    html_sizes = {"html-137kb": 137_000, "html-1.1mb": 1_100_000, "html-10mb": 10_000_000}
    for name, size in html_sizes.items():
        nested_html(os.path.join(corpus(out, name), "nested.html"), size)
    if "--html-only" in sys.argv:
        return
    text(os.path.join(corpus(out, "txt-30mb"), "big.txt"), 30 * 1000 * 1000, 1)
    for i in (1, 2):
        text(os.path.join(corpus(out, "txt-2x30mb"), f"big{i}.txt"), 30 * 1000 * 1000, i)
    docx(os.path.join(corpus(out, "docx-60mb"), "big.docx"), 60 * 1000 * 1000)
    pdf(os.path.join(corpus(out, "pdf-1gib"), "bomb.pdf"), 1024 * MIB)
    pdf(os.path.join(corpus(out, "pdf-2gib"), "bomb.pdf"), 2048 * MIB)
    for root, _, files in sorted(os.walk(out)):
        for name in sorted(files):
            p = os.path.join(root, name)
            print(f"{os.path.getsize(p):>12}  {p}")


if __name__ == "__main__":
    main()
