#!/usr/bin/env python3
"""Writes nfc-conformance.txt: 'input;expected NFC' as hex code points, from Python's unicodedata (a reference
independent of UnicodeNames). Every canonically decomposable code point, precomposed and decomposed, Hangul
syllables and jamo, and random base + marks sequences (fixed seed)."""
import random
import sys
import unicodedata as u

def hx(s):
    return " ".join("%X" % ord(c) for c in s)

print(f"# Unicode {u.unidata_version}, Python {sys.version.split()[0]}")
marks = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and u.combining(chr(c))]
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    ch = chr(cp)
    d = u.decomposition(ch)
    if (d and not d.startswith("<")) or (0xAC00 <= cp <= 0xD7A3 and cp % 97 == 0):
        for s in {ch, u.normalize("NFD", ch)}:
            print(hx(s) + ";" + hx(u.normalize("NFC", s)))
rng = random.Random(11)
bases = "aeiouAEIOUcnsyzCNSYZ\u0391\u03b1\u0415\u0435\u1100\u1161\u11a8\u0915\u05d0 "
for _ in range(3000):
    s = rng.choice(bases) + "".join(rng.choice(marks) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.3:
        s += rng.choice(bases) + rng.choice(marks)
    print(hx(s) + ";" + hx(u.normalize("NFC", s)))
