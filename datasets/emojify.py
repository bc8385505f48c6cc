"""Build datasets/emojify.h5, the labelled sentences of the Emojify notebook (c5w2a2).

Built by datasets/build.py, which also verifies it with --check.

What the data is: 210 short English sentences written for this course (not taken from
any other source), each labelled with one of five classes that an emoji stands for:
love, sport, happy, sad, food. They live in datasets/emojify_sentences.csv, one line
per sentence (``sentence,label,split``), and the split is fixed there: 31 training and
11 test sentences per class. The test sentences are new sentences on the same topics,
and 8 of the 55 test sentences hinge on a negation, in both directions ("i am not happy
today" is sad, "he is not upset anymore" is happy), which a model that averages word
vectors cannot read.

Every word of every sentence is one of the 10,004 words of the GloVe vocabulary in
datasets/words.h5 (the build checks this, and fails naming the words that are not),
so both models of the notebook see every word. The file holds, in the CSV's order:

    train_sentences (155,) bytes   train_labels (155,) int64
    test_sentences  (55,) bytes    test_labels  (55,) int64
    classes (5,) bytes: [b"love", b"sport", b"happy", b"sad", b"food"], index = label

Nothing is downloaded; the output is byte-identical on every run for the same versions
of h5py/HDF5.
"""

import csv
import json
from pathlib import Path

import h5py
import numpy as np
from common import BuildError, sha256_of, write_h5

OUTPUT_NAME = "emojify.h5"
DATASETS_DIR = Path(__file__).resolve().parent
SENTENCES_CSV = DATASETS_DIR / "emojify_sentences.csv"
WORDS_H5 = DATASETS_DIR / "words.h5"
CLASSES = ("love", "sport", "happy", "sad", "food")
PER_CLASS = {"train": 31, "test": 11}

SOURCE_TEXT = (
    "210 short English sentences written for the course (datasets/emojify_sentences.csv), "
    "5 classes, split fixed in the CSV, every word in the GloVe vocabulary of words.h5; "
    "built by datasets/emojify.py"
)


def glove_vocabulary():
    """The words of datasets/words.h5 (checked against MANIFEST.json), as a set of str."""
    manifest = json.loads((DATASETS_DIR / "MANIFEST.json").read_text())
    if not WORDS_H5.is_file() or sha256_of(WORDS_H5) != manifest["words.h5"]["sha256"]:
        raise BuildError(f"{WORDS_H5} is missing or out of date; build it first with "
                         "`python datasets/build.py --only words.h5`")
    with h5py.File(WORDS_H5, "r") as f:
        return {w.decode() for w in f["glove_words"][:]}


def read_sentences(csv_path, vocabulary):
    """The sentences and labels of each split: {"train": (list of str, list of int), ...}.

    Raises BuildError when a line is malformed, a word is not in vocabulary, a sentence
    appears twice or the number of sentences per class and split is not PER_CLASS.
    """
    splits = {"train": ([], []), "test": ([], [])}
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    unknown = set()
    for line, row in enumerate(rows, start=2):
        sentence, label, split = row["sentence"], row["label"], row["split"]
        if label not in CLASSES or split not in splits or sentence != " ".join(sentence.split()):
            raise BuildError(f"{csv_path}, line {line}: bad row {row}")
        unknown |= {w for w in sentence.split() if w not in vocabulary}
        splits[split][0].append(sentence)
        splits[split][1].append(CLASSES.index(label))
    if unknown:
        raise BuildError(f"{csv_path}: words not in the GloVe vocabulary of {WORDS_H5.name}: "
                         f"{sorted(unknown)}; rewrite those sentences")
    everything = [s for sentences, _ in splits.values() for s in sentences]
    repeated = sorted({s for s in everything if everything.count(s) > 1})
    if repeated:
        raise BuildError(f"{csv_path}: sentences listed twice: {repeated}")
    for split, (_, labels) in splits.items():
        counts = np.bincount(labels, minlength=len(CLASSES)).tolist()
        if counts != [PER_CLASS[split]] * len(CLASSES):
            raise BuildError(f"{csv_path}: expected {PER_CLASS[split]} {split} sentences per "
                             f"class {CLASSES}; found {counts}")
    return splits


def _strings(values):
    encoded = [v.encode("ascii") for v in values]
    return np.array(encoded, dtype=f"S{max(len(e) for e in encoded)}")


def build_into(out_dir):
    """Write out_dir/emojify.h5 and return its path."""
    splits = read_sentences(SENTENCES_CSV, glove_vocabulary())
    arrays = {}
    for split, (sentences, labels) in splits.items():
        arrays[f"{split}_sentences"] = _strings(sentences)
        arrays[f"{split}_labels"] = np.array(labels, dtype=np.int64)
    arrays["classes"] = _strings(CLASSES)
    path = Path(out_dir) / OUTPUT_NAME
    write_h5(path, arrays, "short sentences labelled with 5 emoji classes (love, sport, happy, "
             "sad, food), written for the course; see datasets/NOTICE")
    return path
