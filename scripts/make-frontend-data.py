#!/usr/bin/env python3
"""Writes the GPT-SoVITS text frontend's dictionaries (src/EdgeVoice/Text/Data/*.tsv.gz) from npm packages:

  cmu-pronouncing-dictionary 3.0.0 (ISC; the CMU Pronouncing Dictionary, BSD-2-Clause) -> en-cmudict.tsv.gz
  pinyin 4.0.0 (MIT, hotoo/pinyin)  -> zh-chars.tsv.gz (character readings, most common first),
                                       zh-phrases.tsv.gz (word readings, which resolve polyphones)
  nodejieba 3.5.8 (MIT; cppjieba's jieba.dict.utf8) -> zh-words.tsv.gz (word, frequency, part of speech;
                                       Chinese words seen at least 5 times)

Readings are written in tone-number form (zhong1, lv4, de5 for the neutral tone).
Usage: scripts/make-frontend-data.py   (needs npm and network access to the npm registry)
"""
import gzip
import os
import re
import subprocess
import tarfile
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "EdgeVoice", "Text", "Data")
PACKAGES = ["cmu-pronouncing-dictionary@3.0.0", "pinyin@4.0.0", "nodejieba@3.5.8"]

TONES = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


def tone3(syllable):
    """zhōng -> zhong1, lǜ -> lv4, de -> de5."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = "5"
    letters = []
    for ch in decomposed:
        if ch in TONES:
            tone = TONES[ch]
        elif ch == "\u0308":  # the diaeresis of ü
            letters[-1] = "v"
        else:
            letters.append(ch)
    return "".join(letters).replace("ü", "v") + tone


def unpack(work):
    folders = {}
    for package in PACKAGES:
        name = subprocess.check_output(["npm", "pack", package, "--silent"], cwd=work, text=True).strip().splitlines()[-1]
        target = os.path.join(work, package.split("@")[0])
        with tarfile.open(os.path.join(work, name)) as archive:
            archive.extractall(target)
        folders[package.split("@")[0]] = os.path.join(target, "package")
    return folders


def write(name, lines):
    path = os.path.join(OUT, name)
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{name}: {len(lines)} entries, {os.path.getsize(path)} bytes")


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        folders = unpack(work)

        cmu = open(os.path.join(folders["cmu-pronouncing-dictionary"], "index.js"), encoding="utf-8").read()
        entries = re.findall(r'^\s*"((?:[^"\\]|\\.)+)": "([A-Z0-9 ]+)",?$', cmu, re.M)
        write("en-cmudict.tsv.gz", [f"{w}\t{p}" for w, p in entries if "(" not in w])

        bundle = open(os.path.join(folders["pinyin"], "lib", "cjs", "pinyin.js"), encoding="utf-8").read()
        chars = re.findall(r'^dict\[0x([0-9a-f]+)\] = "([^"]+)";', bundle, re.M)
        write("zh-chars.tsv.gz", [f"{chr(int(code, 16))}\t{','.join(tone3(r) for r in readings.split(','))}" for code, readings in chars])
        phrases = re.findall(r'^\s*"([\u3400-\u9fff]{2,})": \[((?:\["[^"\]]+"\](?:, )?)+)\],?$', bundle, re.M)
        lines = []
        for phrase, readings in phrases:
            inner = re.findall(r'\[([^\[\]]+)\]', readings)
            if any("," in i for i in inner):
                continue  # several readings offered for a character: the entry does not resolve the polyphone
            syllables = [tone3(i.strip().strip('"')) for i in inner]
            if len(syllables) == len(phrase):
                lines.append(f"{phrase}\t{' '.join(syllables)}")
        write("zh-phrases.tsv.gz", lines)

        words = []
        with open(os.path.join(folders["nodejieba"], "submodules", "cppjieba", "dict", "jieba.dict.utf8"), encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                # Chinese words seen at least 5 times: the rest (about 200,000 rare words) barely move a
                # segmentation and would double the file.
                # Three-character words with 不 or 一 in the middle (看不懂, 想一想) stay whatever their count: their tone
                # sandhi depends on being one word.
                if len(parts) == 3 and re.fullmatch(r"[\u4e00-\u9fff]+", parts[0]) and (
                        int(parts[1]) >= 5 or (len(parts[0]) == 3 and parts[0][1] in "不一")):
                    words.append("\t".join(parts))
        write("zh-words.tsv.gz", words)


if __name__ == "__main__":
    main()
