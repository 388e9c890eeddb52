"""load_table / load_table_file: pinned names, p forms, and every way a file can be bad."""
import copy
import json
import os
import tempfile
import unittest
from fractions import Fraction

import spow


def shipped_json(name="coupled_p1_2_lo1e-3"):
    with open(os.path.join(spow.tables_dir(), name + ".json")) as f:
        return json.load(f)


class LoadTable(unittest.TestCase):
    def test_p_forms_give_the_same_table(self):
        want = spow.load_table(Fraction(1, 2)).name
        for p in (Fraction(1, 2), "1/2", " 1/2 ", "2/4", 0.5):
            self.assertEqual(spow.load_table(p).name, want, p)
        self.assertEqual(spow.load_table(0).p, 0)
        self.assertEqual(spow.load_table("-1/4").p, Fraction(-1, 4))

    def test_most_accurate_covering_table(self):
        # As spow_table_find: among the tables with lo <= the requested lo and
        # hi >= 1, the smallest certified error.
        for lo in (1e-3, 1e-2, 0.5):
            for q in {t.p for t in spow.shipped_tables()}:
                ok = [t for t in spow.shipped_tables()
                      if t.p == q and t.lo <= lo and t.hi >= 1]
                best = min(ok, key=lambda t: t.max_rel_err)
                self.assertEqual(spow.load_table(q, lo).name, best.name)
        self.assertEqual(spow.load_table("1/2", 1e-3).lo, 1e-3)

    def test_unknown_p_and_uncovered_lo(self):
        for p in ("1/7", 2, 0.3, "x", "1/0", None, True, [1]):
            with self.assertRaises(ValueError, msg=repr(p)):
                spow.load_table(p)
        with self.assertRaisesRegex(ValueError, "covers"):
            spow.load_table("1/2", lo=1e-4)
        for lo in (0.0, -1.0, float("nan"), 2.0):
            with self.assertRaises(ValueError):
                spow.load_table("1/2", lo=lo)

    def test_max_err_gives_the_cheapest_certifying_table(self):
        # As spow_table_find_target on a square input: among the tables of
        # tables/ and tables/target/ covering lo with max_rel_err <= max_err,
        # the fewest products, then the most accurate; never a bf16 table.
        pool = spow.shipped_tables() + spow.shipped_tables(target=True)
        cheaper = 0
        for lo in (1e-4, 1e-3, 1e-2):
            for err in (1e-1, 1e-2, 1e-3, 1e-6):
                for q in {t.p for t in pool}:
                    ok = [t for t in pool if t.p == q and t.lo <= lo and t.hi >= 1
                          and t.max_rel_err <= err]
                    if not ok:
                        with self.assertRaisesRegex(ValueError, "max_rel_err <="):
                            spow.load_table(q, lo, max_err=err)
                        continue
                    want = min(ok, key=lambda t: (t.gemms, t.max_rel_err))
                    got = spow.load_table(q, lo, max_err=err)
                    self.assertEqual(got.name, want.name, (q, lo, err))
                    if lo >= 1e-3:  # the 1e-6 tables cover it: the target ones cost less
                        cheaper += got.gemms < spow.load_table(q, lo).gemms
        self.assertGreater(cheaper, 0)
        # what the numbers say: p = 1/2 at 1e-2, 19 products against 23
        t = spow.load_table("1/2", 1e-3, max_err=1e-2)
        self.assertEqual((t.name, t.gemms, spow.load_table("1/2").gemms),
                         ("coupled_p1_2_lo1e-3_e1e-2", 19, 23))
        for bad in (0, -1e-2, float("nan"), "1e-2", True):
            with self.assertRaises(ValueError, msg=repr(bad)):
                spow.load_table("1/2", max_err=bad)

    def test_target_tables_meet_their_targets(self):
        ts = spow.shipped_tables(target=True)
        self.assertEqual(len(ts), 45)
        for t in ts:
            target = 1e-2 if t.name.endswith("_e1e-2") else 1e-3
            # in exact arithmetic and with the coefficients rounded to float
            self.assertLessEqual(t.max_rel_err, target, t.name)
            self.assertLessEqual(t.max_rel_err_f32, target, t.name)

    def test_every_shipped_table_loads_with_its_certificate(self):
        ts = spow.shipped_tables()
        self.assertGreaterEqual(len(ts), 24)
        for t in ts:
            self.assertLessEqual(t.max_rel_err, 1e-6, t.name)
            self.assertEqual(t.gemms, sum(s.gemms for s in t.steps), t.name)


class LoadTableFile(unittest.TestCase):
    def write(self, obj, raw=None):
        fd, path = tempfile.mkstemp(suffix=".json")
        with os.fdopen(fd, "w") as f:
            f.write(raw if raw is not None else json.dumps(obj))
        self.addCleanup(os.unlink, path)
        return path

    def test_roundtrip(self):
        t = spow.load_table_file(self.write(shipped_json()))
        self.assertEqual((t.p_num, t.p_den, len(t.steps), t.gemms), (1, 2, 4, 23))

    def test_bad_files_raise_valueerror(self):
        good = shipped_json()

        def mutated(f):
            d = copy.deepcopy(good)
            f(d)
            return d

        cases = {
            "missing file": None,
            "not json": "{ nope",
            "foreign json": {"hello": 1},
            "array": [1, 2],
            "version 2": mutated(lambda d: d.update(version=2)),
            "other family": mutated(lambda d: d.update(family="fixedpoint")),
            "p > 1": mutated(lambda d: d.update(p_num=3, x_power=-1)),
            "unreduced p": mutated(lambda d: d.update(p_num=2, p_den=4)),
            "wrong y_power": mutated(lambda d: d.update(y_power=3)),
            "short ps": mutated(lambda d: d["evaluation"][1]["ps"].pop()),
            "string coef": mutated(lambda d: d["evaluation"][0]["ps"].__setitem__(0, "1")),
            "bad blocks": mutated(lambda d: d["evaluation"][0].update(blocks=5)),
            "degree 17": mutated(lambda d: d["evaluation"][0].update(degree=17)),
            "steps mismatch": mutated(lambda d: d.update(steps=5)),
            "gemms mismatch": mutated(lambda d: d.update(gemms=22)),
            "no alpha": mutated(lambda d: d["evaluation"][2].pop("alpha")),
            "lo above 1": mutated(lambda d: d.update(lo=2.0)),
        }
        for why, obj in cases.items():
            if why == "missing file":
                path = "/nonexistent/spow.json"
            elif isinstance(obj, str):
                path = self.write(None, raw=obj)
            else:
                path = self.write(obj)
            with self.assertRaises(ValueError, msg=why) as cm:
                spow.load_table_file(path)
            self.assertIn(path, str(cm.exception), why)
        # Inf/NaN written the way Python's json would
        for bad in (float("nan"), float("inf")):
            path = self.write(mutated(lambda d: d["evaluation"][0]["ps"].__setitem__(0, bad)))
            with self.assertRaises(ValueError):
                spow.load_table_file(path)

    def test_tables_dir_override(self):
        d = tempfile.mkdtemp()
        self.addCleanup(os.rmdir, d)
        old = os.environ.get("SPOW_TABLES_DIR")
        os.environ["SPOW_TABLES_DIR"] = d
        try:
            self.assertEqual(spow.tables_dir(), d)
            with self.assertRaisesRegex(ValueError, "none shipped"):
                spow.load_table("1/2")
            os.environ["SPOW_TABLES_DIR"] = d + "/missing"
            with self.assertRaises(ValueError):
                spow.tables_dir()
        finally:
            if old is None:
                del os.environ["SPOW_TABLES_DIR"]
            else:
                os.environ["SPOW_TABLES_DIR"] = old


if __name__ == "__main__":
    unittest.main()
