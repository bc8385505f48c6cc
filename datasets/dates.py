"""Build datasets/dates.h5, the date-translation pairs of the attention notebook (c5w3a1).

Built by datasets/build.py, which also verifies it with --check.

What the data is: calendar dates between 1950-01-01 and 2049-12-31, each written the
way a person in one of eight locales would write it (en_US, en_GB, de_DE, fr_FR,
es_ES, it_IT, nl_NL, pt_BR), lower-cased, paired with the same date in ISO 8601
(YYYY-MM-DD). Faker draws the dates (its date_between, seeded); Babel formats them with
the CLDR patterns of each locale: "medium", "long" and "full" for every locale, and
"short" for the five locales whose short pattern leaves no doubt (en_US M/d/yy; de_DE
dd.MM.yy; en_GB, fr_FR and pt_BR dd/MM/y; nl_NL dd-MM-y). The short patterns of es_ES
(d/M/yy) and it_IT (dd/MM/yy) are left out because "3/12/26" would then mean 12 March
in en_US and 3 December in es_ES. With a 100-year range a two-digit year names one year.

    train_inputs (12000,) bytes, UTF-8: human-readable dates ("thursday, december 3, 2026")
    train_outputs (12000,) bytes: the same dates in ISO format ("2026-12-03")
    train_formats (12000,) bytes: locale and CLDR format of each input ("en_US/full")
    test_inputs, test_outputs, test_formats (1000,): the held-out dates, none of which
      appears (as a date, in any format) among the training pairs
    input_chars (n,) bytes, UTF-8: every character of the inputs, sorted (the input
      vocabulary, without padding)

The wheels faker 40.63.0 and babel 2.19.0 are fetched with `pip download --no-deps`
into datasets/_cache/, checked against pinned SHA-256 digests, unpacked into a
temporary folder and imported from there for this build only: neither is a
requirement of the course. Faker's generator is seeded and the locale and format of
each date come from a seeded NumPy generator, so the output is byte-identical on every
run for the same versions of NumPy and h5py/HDF5.
"""

import datetime
import importlib
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from common import BuildError, fetch_wheel, write_h5

OUTPUT_NAME = "dates.h5"

FAKER = ("faker", "40.63.0", "faker-40.63.0-py3-none-any.whl",
         "36627c20b575b4138f54b6c21f8703e9ab122fd487aca11319beec2aa6ca7232")
BABEL = ("babel", "2.19.0", "babel-2.19.0-py3-none-any.whl",
         "6d49734aed1d595b2c065d012174df8c83964692f26fc461702281634dd7555b")

SEED = 20261203
FIRST, LAST = datetime.date(1950, 1, 1), datetime.date(2049, 12, 31)
N_TRAIN, N_TEST = 12000, 1000
FULL_FORMATS = ("medium", "long", "full")
LOCALES = {  # locale -> the CLDR formats used for it
    "en_US": ("short", *FULL_FORMATS),
    "en_GB": ("short", *FULL_FORMATS),
    "de_DE": ("short", *FULL_FORMATS),
    "fr_FR": ("short", *FULL_FORMATS),
    "es_ES": FULL_FORMATS,
    "it_IT": FULL_FORMATS,
    "nl_NL": ("short", *FULL_FORMATS),
    "pt_BR": ("short", *FULL_FORMATS),
}
FORMATS = [f"{locale}/{fmt}" for locale in sorted(LOCALES) for fmt in LOCALES[locale]]

SOURCE_TEXT = (
    "Dates 1950-2049 drawn with Faker 40.63.0 (MIT) and written in 8 locales with Babel 2.19.0 "
    "(BSD-3-Clause; CLDR data, Unicode licence), paired with ISO 8601; "
    "built by datasets/dates.py"
)


def _import_wheels(folder):
    """Unpack the pinned Faker and Babel wheels into folder and import both from there.

    Returns the modules (faker, babel.dates).
    """
    for package in (FAKER, BABEL):
        with zipfile.ZipFile(fetch_wheel(*package)) as wheel:
            wheel.extractall(folder)
    sys.path.insert(0, str(folder))
    try:
        faker = importlib.import_module("faker")
        babel_dates = importlib.import_module("babel.dates")
    finally:
        sys.path.remove(str(folder))
    versions = (faker.VERSION, importlib.import_module("babel").__version__)
    if versions != (FAKER[1], BABEL[1]):
        raise BuildError(f"imported faker/babel {versions}, expected {FAKER[1]}/{BABEL[1]}: "
                         "another copy is installed first on sys.path")
    return faker, babel_dates


def distinct_dates(faker_module, count):
    """count different dates in [FIRST, LAST], in the order Faker draws them."""
    faker_module.Faker.seed(SEED)
    fake = faker_module.Faker()
    dates = {}
    while len(dates) < count:
        dates.setdefault(fake.date_between(start_date=FIRST, end_date=LAST), None)
    return list(dates)


def make_pairs(babel_dates, dates, rng):
    """(inputs, outputs, formats): each date written in a format drawn from FORMATS."""
    inputs, outputs, formats = [], [], []
    for date, k in zip(dates, rng.integers(len(FORMATS), size=len(dates)), strict=True):
        locale, fmt = FORMATS[k].split("/")
        inputs.append(babel_dates.format_date(date, fmt, locale=locale).lower())
        outputs.append(date.isoformat())
        formats.append(FORMATS[k])
    return inputs, outputs, formats


def _strings(values):
    """A fixed-width bytes array of UTF-8 strings."""
    encoded = [v.encode("utf-8") for v in values]
    return np.array(encoded, dtype=f"S{max(len(e) for e in encoded)}")


def build_arrays(faker_module, babel_dates):
    """The arrays of dates.h5 (see the module docstring)."""
    # Distinct dates, so the held-out ones never occur in training in any format.
    dates = distinct_dates(faker_module, N_TRAIN + N_TEST)
    inputs, outputs, formats = make_pairs(babel_dates, dates, np.random.default_rng(SEED))
    meaning = {}
    for text, iso in zip(inputs, outputs, strict=True):
        if meaning.setdefault(text, iso) != iso:
            raise BuildError(f"{text!r} would mean both {meaning[text]} and {iso}")
    arrays = {}
    for split, part in (("train", slice(0, N_TRAIN)), ("test", slice(N_TRAIN, None))):
        arrays[f"{split}_inputs"] = _strings(inputs[part])
        arrays[f"{split}_outputs"] = _strings(outputs[part])
        arrays[f"{split}_formats"] = _strings(formats[part])
    arrays["input_chars"] = _strings(sorted(set("".join(inputs))))
    return arrays


def build_into(out_dir):
    """Write out_dir/dates.h5 and return its path."""
    with tempfile.TemporaryDirectory(prefix="dlcourse-wheels-") as tmp:
        arrays = build_arrays(*_import_wheels(Path(tmp)))
    path = Path(out_dir) / OUTPUT_NAME
    write_h5(path, arrays, "human-readable dates in 8 locales -> ISO 8601; see datasets/NOTICE")
    return path
