"""Byte-level text data from Debian's fortune packages.

Pretraining text: every fortune file of the `fortunes` package (English,
/usr/share/games/fortunes/*).  Finetuning text: every file of `fortunes-de`
(German, /usr/share/games/fortunes/de/*).  Both install with
`apt-get install fortunes fortunes-de`.

A fortune file is a list of entries separated by lines holding a single
"%".  The split into training and validation text is by entry (every
`val_every`-th entry of each file goes to validation), so no validation
entry is ever seen during training, and the split does not depend on a seed.
Tokens are the UTF-8 bytes (vocabulary 256): the German umlauts need no
vocabulary change between pretraining and finetuning.
"""

import os

import torch

ENGLISH_DIR = "/usr/share/games/fortunes"
GERMAN_DIR = "/usr/share/games/fortunes/de"
PACKAGE_OF = {ENGLISH_DIR: "fortunes", GERMAN_DIR: "fortunes-de"}
VOCAB = 256


def fortune_files(directory):
    """The fortune text files in `directory` (not recursive): regular files
    only, without the strfile indexes (*.dat) and the *.u8 symlinks."""
    if not os.path.isdir(directory):
        pkg = PACKAGE_OF.get(directory, "the package that ships it")
        raise FileNotFoundError(
            f"{directory} not found: install it with `apt-get install {pkg}`")
    names = sorted(n for n in os.listdir(directory)
                   if not n.endswith(".dat")
                   and os.path.isfile(os.path.join(directory, n))
                   and not os.path.islink(os.path.join(directory, n)))
    if not names:
        raise FileNotFoundError(f"{directory}: no fortune files")
    return [os.path.join(directory, n) for n in names]


def split_entries(directory, val_every=10):
    """(train_bytes, val_bytes): the entries of every file, joined by
    newlines, the i-th entry of a file going to validation when
    i % val_every == val_every - 1."""
    train, val = [], []
    for path in fortune_files(directory):
        with open(path, "rb") as f:
            raw = f.read()
        entries = [e.strip(b"\n") for e in raw.split(b"\n%\n")]
        for i, e in enumerate(x for x in entries if x):
            (val if i % val_every == val_every - 1 else train).append(e)
    return b"\n\n".join(train), b"\n\n".join(val)


class ByteCorpus:
    """Training and validation token streams of one directory."""

    def __init__(self, directory, val_every=10):
        tr, va = split_entries(directory, val_every)
        self.directory = directory
        self.train = torch.frombuffer(bytearray(tr), dtype=torch.uint8).long()
        self.val = torch.frombuffer(bytearray(va), dtype=torch.uint8).long()

    def batch(self, gen, batch_size, context):
        """A random training batch (inputs, next-byte targets), drawn with the
        torch.Generator `gen` so that a seed fixes the data order."""
        hi = len(self.train) - context - 1
        starts = torch.randint(0, hi, (batch_size,), generator=gen)
        idx = starts[:, None] + torch.arange(context + 1)[None, :]
        chunk = self.train[idx]
        return chunk[:, :-1], chunk[:, 1:]

    def val_batches(self, batch_size, context, max_batches):
        """A fixed set of validation windows (the same for every run):
        evenly spaced over the validation text."""
        n = min(batch_size * max_batches, (len(self.val) - 1) // context)
        starts = torch.linspace(0, len(self.val) - context - 1, n).long()
        idx = starts[:, None] + torch.arange(context + 1)[None, :]
        chunk = self.val[idx]
        for i in range(0, n, batch_size):
            c = chunk[i:i + batch_size]
            yield c[:, :-1], c[:, 1:]
