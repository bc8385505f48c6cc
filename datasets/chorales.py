"""Build datasets/chorales.h5, the melodies of the music-generation notebook (c5w1a3).

Built by datasets/build.py, which also verifies it with --check.

What the data is: the soprano line (the melody) of every Bach chorale in the corpus
that ships inside the PyPI package music21 10.5.1 (``corpus.chorales.Iterator()``,
371 numbers of Riemenschneider's edition, 350 distinct files: a file listed twice is
kept once). Each melody is

- transposed to C major or A minor (the key music21's key analysis finds for the whole
  chorale), up or down, whichever brings the melody's mean pitch nearer to B-flat 4,
- quantised to eighth notes: at each eighth-note step one token, the pitch of a note
  that begins there (or first sounds there, for a note that begins between two steps;
  a sixteenth note that sounds at no step is dropped), HOLD while a note goes on,
  REST where nothing sounds. Tied notes are one note; a chord (one chorale has a
  divided soprano) gives its highest pitch. A melody that opens with an upbeat gets
  rests in front of it, so that step 0 is the first beat of a full bar.

Tokens: 0 = HOLD, 1 = REST, 2 + k = the MIDI pitch pitches[k], pitches running over
every pitch from the lowest to the highest of the transposed melodies.

    tokens (N,) int8: all melodies one after the other
    lengths (350,) int32: the number of eighth-note steps of each melody
    pitches (P,) int32: the MIDI pitch of token 2 + k
    names (350,) bytes: the corpus file of each melody ("bach/bwv269"), sorted
    shifts (350,) int32: the transposition applied, in semitones

music21 parses the chorales (about 0.2 s each, a minute in all), so the package must be
installed at the pinned version (it is in requirements.txt; the notebook writes MIDI
with it). The output is byte-identical on every run for the same versions of music21
and h5py/HDF5.
"""

from importlib import metadata
from pathlib import Path

import numpy as np
from common import BuildError, write_h5

OUTPUT_NAME = "chorales.h5"
MUSIC21_VERSION = "10.5.1"
EXPECTED_CHORALES = 350
HOLD, REST = 0, 1
MEAN_PITCH = 70  # B-flat 4, near the middle of a soprano's range

SOURCE_TEXT = (
    "Soprano lines of the 350 distinct Bach chorales (public domain) in the corpus of the "
    "PyPI package music21 10.5.1 (BSD-3), transposed to C major / A minor, quantised to "
    "eighth notes; built by datasets/chorales.py"
)


def _music21():
    """The music21 module, after checking that it is the pinned version."""
    try:
        version = metadata.version("music21")
    except metadata.PackageNotFoundError:
        version = None
    if version != MUSIC21_VERSION:
        raise BuildError(f"chorales.h5 is parsed with music21=={MUSIC21_VERSION} (found "
                         f"{version}): `pip install music21=={MUSIC21_VERSION}` in this "
                         "environment, then run this script again.")
    import music21

    return music21


def soprano_part(score):
    """The melody of a chorale: the first part named Soprano..., or else (a few files name
    their parts by number) the part with the highest mean pitch."""
    for part in score.parts:
        if (part.partName or part.id or "").startswith("Soprano"):
            return part
    def mean_pitch(part):
        midis = [p.midi for p in part.flatten().pitches]
        return sum(midis) / max(len(midis), 1)
    return max(score.parts, key=mean_pitch)


def transposition(score, melody):
    """Semitones that take the chorale's analysed key to C major or A minor.

    Of the two shifts that do (one up, one down), the one that brings the melody's mean
    pitch nearer to MEAN_PITCH, so that all melodies share one register.
    """
    key = score.analyze("key")
    target = 0 if key.mode == "major" else 9  # pitch class of C, of A
    up = (target - key.tonic.pitchClass) % 12
    mean = np.mean([p.midi for p in melody.flatten().pitches])
    return min((up, up - 12), key=lambda shift: abs(mean + shift - MEAN_PITCH))


def quantise(part, shift):
    """The part's melody as (T,) MIDI pitches per eighth-note step, HOLD = -1, REST = -2.

    A note first heard at step k gives its pitch at k and HOLD on the steps after it
    while it sounds; a step where nothing sounds is a REST, and so are the steps of the
    first bar before an upbeat.
    """
    # A melody that begins with an upbeat starts at offset 0 all the same: rests in front
    # of the upbeat put step 0 on a downbeat, so that bar lines fall every bar's length.
    measures = part.getElementsByClass("Measure")
    upbeat = int(round(float(measures[0].paddingLeft) * 2)) if measures else 0
    part = part.stripTies()
    events = []  # (start, end) in eighths, pitch
    for element in part.flatten().notes:
        if element.quarterLength == 0:  # grace notes take no time
            continue
        pitch = max(p.midi for p in element.pitches) + shift
        start = float(element.offset) * 2
        events.append((start, start + float(element.quarterLength) * 2, pitch))
    steps = int(np.ceil(float(part.highestTime) * 2))
    melody = np.full(upbeat + steps, -2, dtype=np.int64)
    events.sort()
    for start, end, pitch in events:
        start, end = start + upbeat, end + upbeat
        first = int(np.ceil(start - 1e-9))
        last = int(np.ceil(end - 1e-9))  # the steps first .. last - 1 fall inside the note
        if first >= last:
            continue  # a short note between two steps: quantised away
        melody[first] = pitch
        melody[first + 1:last] = -1
    return melody


def read_melodies():
    """(names, shifts, melodies) of the distinct chorales, sorted by corpus file name."""
    music21 = _music21()
    names = sorted(set(music21.corpus.chorales.Iterator(returnType="filename")))
    if len(names) != EXPECTED_CHORALES:
        raise BuildError(f"expected {EXPECTED_CHORALES} chorale files in music21's corpus; "
                         f"found {len(names)}")
    shifts, melodies = [], []
    for name in names:
        score = music21.corpus.parse(name)
        soprano = soprano_part(score)
        shift = transposition(score, soprano)
        shifts.append(shift)
        melodies.append(quantise(soprano, shift))
    return names, shifts, melodies


def encode(melodies):
    """Token arrays from quantised melodies: (tokens (N,) int8, pitches (P,) int32)."""
    every = np.concatenate(melodies)
    sounding = every[every >= 0]
    pitches = np.arange(sounding.min(), sounding.max() + 1, dtype=np.int32)
    tokens = np.where(every == -1, HOLD, np.where(every == -2, REST, every - pitches[0] + 2))
    return tokens.astype(np.int8), pitches


def build_into(out_dir):
    """Write out_dir/chorales.h5 and return its path."""
    names, shifts, melodies = read_melodies()
    tokens, pitches = encode(melodies)
    path = Path(out_dir) / OUTPUT_NAME
    longest = max(len(n) for n in names)
    write_h5(path, {
        "tokens": tokens,
        "lengths": np.array([len(m) for m in melodies], dtype=np.int32),
        "pitches": pitches,
        "names": np.array([n.encode("ascii") for n in names], dtype=f"S{longest}"),
        "shifts": np.array(shifts, dtype=np.int32),
    }, "Bach chorale melodies, eighth-note tokens (0 hold, 1 rest, 2 + k pitches[k]); "
       "see datasets/NOTICE")
    return path
