"""libspow (the shared library) through ctypes, for the agreement tests."""
import ctypes
import os
import re

import torch


class _Table(ctypes.Structure):
    # struct spow_table up to the fields the tests read (layout of spow.h)
    _fields_ = [("version", ctypes.c_int), ("name", ctypes.c_char_p),
                ("family", ctypes.c_char_p), ("p_num", ctypes.c_int),
                ("p_den", ctypes.c_int), ("lo", ctypes.c_double), ("hi", ctypes.c_double),
                ("y_power", ctypes.c_int), ("x_power", ctypes.c_int), ("steps", ctypes.c_int),
                ("step", ctypes.c_void_p), ("max_rel_err", ctypes.c_double),
                ("max_rel_err_f32", ctypes.c_double), ("gemms", ctypes.c_int),
                ("command", ctypes.c_char_p)]


class _Step(ctypes.Structure):
    # struct spow_step (spow.h), all of it: the tests build tables from JSON
    _fields_ = [("degree", ctypes.c_int), ("baby", ctypes.c_int), ("blocks", ctypes.c_int),
                ("t_lo", ctypes.c_double), ("t_hi", ctypes.c_double),
                ("alpha", ctypes.c_double), ("beta", ctypes.c_double),
                ("ps", ctypes.POINTER(ctypes.c_double)),
                ("cheb", ctypes.POINTER(ctypes.c_double)),
                ("mono", ctypes.POINTER(ctypes.c_double)), ("gemms", ctypes.c_int),
                ("max_rel_err", ctypes.c_double), ("y_lo", ctypes.c_double),
                ("y_hi", ctypes.c_double), ("scheme", ctypes.c_int), ("form_k", ctypes.c_int),
                ("form_sign", ctypes.c_int), ("form_shift", ctypes.c_double),
                ("form", ctypes.POINTER(ctypes.c_double))]


def _doubles(xs):
    return (ctypes.c_double * len(xs))(*xs)


# SPOW_TABLE_VERSION of runtime/include/spow.h: the layout _Step and _Table
# mirror (2: the Sastre fields).
C_TABLE_VERSION = 2
# spow.h's SPOW_SCHEME_SASTRE and SPOW_SCHEME_NESTED, by the JSON's "scheme"
# (form_k 0 for a nested step).
SCHEMES = {"sastre": 1, "nested": 2}


def table_from_json(d, name, version=C_TABLE_VERSION):
    """A ctypes spow_table built from a spow-gen JSON dict d (Sastre and
    nested keys included), as spow-gen's C output would define it; the arrays hang off
    the returned object (keep it alive while libspow uses it)."""
    ev = d["evaluation"]
    steps = (_Step * len(ev))()
    keep = [steps]
    for i, e in enumerate(ev):
        arrs = [_doubles(e["ps"]), _doubles(e["cheb"]), _doubles(d["coefficients"][i])]
        keep += arrs
        st = steps[i]
        st.degree, st.baby, st.blocks = e["degree"], e["baby"], e["blocks"]
        st.t_lo, st.t_hi, st.alpha, st.beta = e["t_lo"], e["t_hi"], e["alpha"], e["beta"]
        st.ps, st.cheb, st.mono = (ctypes.cast(a, ctypes.POINTER(ctypes.c_double)) for a in arrs)
        st.gemms, st.max_rel_err = d["step_gemms"][i], d["step_errors"][i]
        st.y_lo, st.y_hi = d["y_intervals"][i]
        if e.get("scheme") in SCHEMES:
            form = _doubles(e["form"])
            keep.append(form)
            st.scheme, st.form_sign, st.form_shift = SCHEMES[e["scheme"]], e["sign"], e["shift"]
            st.form_k = e["k"] if e["scheme"] == "sastre" else 0
            st.form = ctypes.cast(form, ctypes.POINTER(ctypes.c_double))
    t = _Table(version=version, name=name.encode(), family=d["family"].encode(),
               p_num=d["p_num"],
               p_den=d["p_den"], lo=d["lo"], hi=d["hi"], y_power=d["y_power"],
               x_power=d["x_power"], steps=len(ev),
               step=ctypes.cast(steps, ctypes.c_void_p), max_rel_err=d["max_rel_err"],
               max_rel_err_f32=d["max_rel_err_f32"], gemms=d["gemms"], command=b"")
    t._keep = keep
    return t


class _Stats(ctypes.Structure):
    _fields_ = [("gemm_calls", ctypes.c_long), ("flops", ctypes.c_double),
                ("norm", ctypes.c_double)]


class _Options(ctypes.Structure):
    _fields_ = [("gemm_f64", ctypes.c_void_p), ("gemm_f32", ctypes.c_void_p),
                ("gemm_ctx", ctypes.c_void_p), ("work", ctypes.c_void_p),
                ("work_size", ctypes.c_size_t), ("flags", ctypes.c_uint),
                ("f64_steps", ctypes.c_int), ("stats", ctypes.POINTER(_Stats)),
                ("scale", ctypes.c_int)]


SPOW_NORMALIZED = 1
SPOW_SMALL_SIDE = 2
SPOW_SCALE = {"default": 0, "frobenius": 1, "gram2": 2, "gram4": 3}


class LibSpow:
    def __init__(self, path=None):
        path = path or os.environ.get("SPOW_LIBRARY")
        if not path:
            raise RuntimeError("SPOW_LIBRARY is not set (ctest sets it to libspow.so)")
        self.lib = ctypes.CDLL(path)
        self.lib.spow_table_list.restype = ctypes.POINTER(ctypes.POINTER(_Table))
        self.lib.spow_strerror.restype = ctypes.c_char_p
        for name, T in (("spow_apply_f64_ex", ctypes.c_double),
                        ("spow_apply_f32_ex", ctypes.c_float)):
            f = getattr(self.lib, name)
            f.argtypes = [ctypes.POINTER(_Table), ctypes.c_size_t, ctypes.c_size_t,
                          ctypes.POINTER(T), ctypes.c_size_t, ctypes.POINTER(T),
                          ctypes.c_size_t, ctypes.POINTER(_Options)]
            f.restype = ctypes.c_int
        self.tables = {}
        lst = self.lib.spow_table_list()
        i = 0
        while lst[i]:
            self.tables[lst[i].contents.name.decode()] = lst[i]
            i += 1
        # tables compiled in but not in spow_table_list (tables/bf16/,
        # tables/target/): by their symbol
        import spow
        self.bf16_names = []
        for t in spow.shipped_tables(bf16=True) + spow.shipped_tables(target=True):
            sym = "spow_table_" + re.sub(r"[^A-Za-z0-9]", "_", t.name)
            self.tables[t.name] = ctypes.pointer(_Table.in_dll(self.lib, sym))
            if t in spow.shipped_tables(bf16=True):
                self.bf16_names.append(t.name)

    def add_table(self, name, d):
        """Makes the spow-gen JSON dict d applicable as name (table_from_json)."""
        self.tables[name] = ctypes.pointer(table_from_json(d, name))

    def apply(self, name, G, normalized=False, f64_steps=0, scale="frobenius",
              small_side=False):
        """libspow's U S^p V^T of the 2-D float64/float32 tensor G with the
        compiled-in table called name; (result, stats)."""
        t = self.tables[name]
        G = G.contiguous()
        rows, cols = G.shape
        out = torch.full_like(G, float("nan"))
        T = ctypes.c_double if G.dtype == torch.float64 else ctypes.c_float
        f = self.lib.spow_apply_f64_ex if G.dtype == torch.float64 else self.lib.spow_apply_f32_ex
        st = _Stats()
        flags = (SPOW_NORMALIZED if normalized else 0) | (SPOW_SMALL_SIDE if small_side else 0)
        opt = _Options(flags=flags, f64_steps=f64_steps,
                       stats=ctypes.pointer(st), scale=SPOW_SCALE[scale])
        rc = f(t, rows, cols, ctypes.cast(G.data_ptr(), ctypes.POINTER(T)), cols,
               ctypes.cast(out.data_ptr(), ctypes.POINTER(T)), cols, ctypes.byref(opt))
        if rc != 0:
            raise RuntimeError(f"libspow: {self.lib.spow_strerror(rc).decode()}")
        return out, st
