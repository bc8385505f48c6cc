"""Build datasets/trigger.h5, the audio of the trigger-word notebook (c5w3a2).

Built by datasets/build.py, which also verifies it with --check.

Everything is mono, 8 kHz, stored as int16 (divide by 32767 for [-1, 1]). Three kinds
of sound, each split into "train" and "dev" material so that the dev clips of the
notebook are made of voices, words and backgrounds the detector never heard:

- activates: the trigger word "activate" spoken by the speech synthesiser espeak-ng
  (Debian espeak-ng 1.51), 7 English accents x 12 voice variants, each at a speed and
  pitch drawn once from the fixed seed. The voice variants VARIANTS_DEV make the dev
  split, the other 10 the train split.
- negatives: other words. (a) The 72 English words a person recorded for KTuberling
  (Debian ktuberling-data, sounds/en/*.ogg); every fifth in sorted order is dev.
  (b) OTHER_WORDS, words that sound partly like "activate" or not at all, spoken by
  espeak-ng in each accent with one variant drawn from the seed (dev variants give dev
  clips). Without (b) a detector could tell "activate" from the rest by the synthetic
  voice alone.
- backgrounds: 18 recordings of Sonic Pi's sample library (Debian sonic-pi-samples),
  only files its debian/copyright file lists as CC0, each cut to its first 5 s (a
  shorter one is repeated to fill 5 s) and scaled to one loudness (RMS 0.05); every
  fifth in sorted order is dev.

Words are trimmed to where their loudness first and last exceeds 2 % of their peak
and scaled to RMS 0.1. Layout of the file (ragged lists stored flat with offsets):

    <kind>_audio (N,) int16, <kind>_offsets (n + 1,) int64: clip i is
        audio[offsets[i]:offsets[i + 1]], for kind in activates, negatives
    <kind>_dev (n,) bool: the clip belongs to the dev split
    <kind>_names (n,) bytes: what it is ("en-us+m3 s150 p40", "ktuberling:ball", ...)
    backgrounds (18, 40000) int16; backgrounds_dev (18,) bool; backgrounds_names
    sample_rate () int64: 8000

espeak-ng's output is deterministic for fixed arguments; sox converts with dithering
off (-D), so the file is byte-identical on rebuilds with the same versions of
espeak-ng, sox, libvorbis, h5py/HDF5. The .deb files are fetched with `apt-get
download` into datasets/_cache/ and checked against pinned SHA-256 digests; espeak-ng
and sox are needed: run as root, the build installs them with apt-get when they are
missing (`apt-get install espeak-ng sox libsox-fmt-all`).
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from common import CACHE_DIR, BuildError, extract_debs, fetch_deb, write_h5

OUTPUT_NAME = "trigger.h5"
SEED = 20261203
SAMPLE_RATE = 8000
BACKGROUND_SECONDS = 5
TRIGGER = "activate"

ACCENTS = ["en-029", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd",
           "en-gb-x-rp", "en-us"]
VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5"]
VARIANTS_DEV = {"m6", "f4"}
OTHER_WORDS = ["action", "active", "activity", "actor", "captivate", "cultivate", "elevate",
               "motivate", "navigate", "vacate", "cavity", "create", "kitchen", "music",
               "window", "evening", "tomato", "computer", "weather", "hello"]

KTUBERLING = ("ktuberling-data", "4:22.12.3-1",
              "fba44c875bfa31ea488dadd9263e87a4dcaea0bd47d28817f6c0dc6d2af970ed")
SONIC_PI = ("sonic-pi-samples", "3.2.2~repack-8",
            "25f2312d2fae005e6ad0f4726b8ed3084e776006a5a132083506e960224ac79d")
KTUBERLING_WORDS = "usr/share/ktuberling/sounds/en"
SONIC_PI_SAMPLES = "usr/share/sonic-pi/samples"
SONIC_PI_COPYRIGHT = "usr/share/doc/sonic-pi-samples/copyright"
EXPECTED_KTUBERLING_WORDS = 72

# Sonic Pi samples long and steady enough to be a background (all CC0, checked below).
BACKGROUNDS = ["ambi_dark_woosh", "ambi_drone", "ambi_glass_hum", "ambi_haunted_hum",
               "ambi_lunar_land", "drum_roll", "guit_e_fifths", "guit_e_slide", "guit_em9",
               "loop_amen_full", "loop_compus", "loop_garzul", "loop_mika", "loop_safari",
               "loop_tabla", "misc_cineboom", "perc_bell", "vinyl_hiss"]

SOURCE_TEXT = (
    "8 kHz audio: 'activate' and 20 other words spoken by espeak-ng 1.51 (7 accents, 12 "
    "voice variants), 72 words recorded for KTuberling (Debian ktuberling-data 4:22.12.3-1, "
    "GPL-2+), 18 CC0 samples of Debian sonic-pi-samples 3.2.2~repack-8 as 5 s backgrounds; "
    "built by datasets/trigger.py"
)


AUDIO_PACKAGES = ["espeak-ng", "sox", "libsox-fmt-all"]


def _tool(name):
    """The program name, installing the audio packages first (as root, with apt-get) if
    it is missing."""
    if shutil.which(name) is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"{name} not found: apt-get install {' '.join(AUDIO_PACKAGES)}")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", *AUDIO_PACKAGES], check=False)
    if shutil.which(name) is None:
        raise BuildError(f"{OUTPUT_NAME} needs {name}: as root, `apt-get install "
                         f"{' '.join(AUDIO_PACKAGES)}`, then run this script again.")
    return name


def _to_8k(command_output, kind):
    """Samples (float64 in [-1, 1]) of a sound file's bytes in format `kind`, via sox:
    mono, 8 kHz, 16 bit, no dithering (so the result is deterministic)."""
    result = subprocess.run([_tool("sox"), "-D", "-t", kind, "-", "-t", "raw", "-r",
                             str(SAMPLE_RATE), "-c", "1", "-b", "16", "-e", "signed-integer",
                             "-"], input=command_output, capture_output=True)
    if result.returncode != 0:
        raise BuildError(f"sox failed: {result.stderr.decode(errors='replace').strip()}")
    return np.frombuffer(result.stdout, dtype="<i2").astype(np.float64) / 32767


def speak(word, voice, speed, pitch):
    """word spoken by espeak-ng with voice "accent+variant"; samples (n,) float64."""
    result = subprocess.run([_tool("espeak-ng"), "-v", voice, "-s", str(speed), "-p",
                             str(pitch), "--stdout", word], capture_output=True)
    if result.returncode != 0 or not result.stdout:
        raise BuildError(f"espeak-ng failed for {voice}: {result.stderr.decode().strip()}")
    return _to_8k(result.stdout, "wav")


def trim_and_level(x, rms=0.1, threshold=0.02):
    """The part of x between the first and last sample louder than threshold * peak,
    scaled to the given RMS (peaks limited to 0.95). Returns (n,) float64."""
    loud = np.nonzero(np.abs(x) > threshold * np.max(np.abs(x)))[0]
    x = x[loud[0]:loud[-1] + 1]
    x = x * rms / np.sqrt(np.mean(x**2))
    return x * min(1.0, 0.95 / np.max(np.abs(x)))


def synthetic_words(rng):
    """(names, clips, dev flags) of the trigger word and of OTHER_WORDS by espeak-ng."""
    activates, negatives = ([], [], []), ([], [], [])
    for accent in ACCENTS:
        for variant in VARIANTS:
            speed, pitch = int(rng.integers(120, 190)), int(rng.integers(25, 75))
            voice = f"{accent}+{variant}"
            activates[0].append(f"{voice} s{speed} p{pitch}")
            activates[1].append(trim_and_level(speak(TRIGGER, voice, speed, pitch)))
            activates[2].append(variant in VARIANTS_DEV)
        for word in OTHER_WORDS:
            variant = VARIANTS[int(rng.integers(len(VARIANTS)))]
            speed, pitch = int(rng.integers(120, 190)), int(rng.integers(25, 75))
            voice = f"{accent}+{variant}"
            negatives[0].append(f"{word} {voice} s{speed} p{pitch}")
            negatives[1].append(trim_and_level(speak(word, voice, speed, pitch)))
            negatives[2].append(variant in VARIANTS_DEV)
    return activates, negatives


def recorded_words(root):
    """(names, clips, dev flags) of KTuberling's English words, sorted by file name."""
    files = sorted((root / KTUBERLING_WORDS).glob("*.ogg"))
    if len(files) != EXPECTED_KTUBERLING_WORDS:
        raise BuildError(f"expected {EXPECTED_KTUBERLING_WORDS} words in {KTUBERLING_WORDS}, "
                         f"found {len(files)}")
    names = [f"ktuberling:{f.stem}" for f in files]
    clips = [trim_and_level(_to_8k(f.read_bytes(), "ogg")) for f in files]
    return names, clips, [i % 5 == 2 for i in range(len(files))]


def cc0_samples(copyright_text):
    """Names (without .flac) of the samples a debian/copyright file lists as CC0."""
    names = set()
    for stanza in copyright_text.split("\n\n"):
        files = re.search(r"^Files:(.*?)^\S", stanza + "\nEnd", re.S | re.M)
        licence = re.search(r"^License:\s*(\S+)", stanza, re.M)
        if files and licence and licence.group(1) == "CC0":
            names |= {Path(f).stem for f in files.group(1).split() if f.endswith(".flac")}
    return names


def backgrounds(root):
    """(names, (18, 40000) clips, dev flags): the first 5 s of each, at RMS 0.05."""
    cc0 = cc0_samples((root / SONIC_PI_COPYRIGHT).read_text())
    not_cc0 = [name for name in BACKGROUNDS if name not in cc0]
    if not_cc0:
        raise BuildError(f"not listed as CC0 in {SONIC_PI_COPYRIGHT}: {not_cc0}")
    n = BACKGROUND_SECONDS * SAMPLE_RATE
    clips = []
    for name in BACKGROUNDS:
        x = _to_8k((root / SONIC_PI_SAMPLES / f"{name}.flac").read_bytes(), "flac")
        x = np.tile(x, -(-n // len(x)))[:n]  # repeat a short sample to fill the clip
        clips.append(x * 0.05 / np.sqrt(np.mean(x**2)))
    return BACKGROUNDS, np.stack(clips), [i % 5 == 2 for i in range(len(BACKGROUNDS))]


def _int16(x):
    return np.clip(np.rint(np.asarray(x) * 32767), -32767, 32767).astype(np.int16)


def _ragged(kind, names, clips, dev):
    lengths = [len(c) for c in clips]
    return {f"{kind}_audio": _int16(np.concatenate(clips)),
            f"{kind}_offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            f"{kind}_dev": np.array(dev, dtype=bool),
            f"{kind}_names": np.array([n.encode("ascii") for n in names],
                                      dtype=f"S{max(len(n) for n in names)}")}


def build_arrays(root):
    """All arrays of trigger.h5 from the packages unpacked at root."""
    rng = np.random.default_rng(SEED)
    activates, synthetic_negatives = synthetic_words(rng)
    recorded = recorded_words(root)
    negatives = [a + b for a, b in zip(recorded, synthetic_negatives, strict=True)]
    bg_names, bg, bg_dev = backgrounds(root)
    return {**_ragged("activates", *activates), **_ragged("negatives", *negatives),
            "backgrounds": _int16(bg), "backgrounds_dev": np.array(bg_dev, dtype=bool),
            "backgrounds_names": np.array([n.encode("ascii") for n in bg_names], dtype="S20"),
            "sample_rate": np.array(SAMPLE_RATE, dtype=np.int64)}


def build_into(out_dir):
    """Write out_dir/trigger.h5 and return its path."""
    debs = [fetch_deb(*package, CACHE_DIR, f"sounds of {OUTPUT_NAME}",
                      "apt-get install ktuberling-data sonic-pi-samples")
            for package in (KTUBERLING, SONIC_PI)]
    with tempfile.TemporaryDirectory(prefix="dlcourse-debs-") as tmp:
        extract_debs(debs, Path(tmp))
        arrays = build_arrays(Path(tmp))
    path = Path(out_dir) / OUTPUT_NAME
    write_h5(path, arrays, "trigger-word audio, 8 kHz mono int16; see datasets/NOTICE")
    return path
