"""spow: fractional spectral powers U S^p V^T with matrix products only, in PyTorch.

    import spow
    t = spow.load_table("1/2")              # shipped table, certified on [1e-3, 1]
    F = spow.spectral_power(t, G)           # U S^(1/2) V^T, G of shape (..., m, n)
    opt = spow.MuonP(model_params, lr=0.02, p=0.5)

The tables are the JSON files written by spow-gen; the algorithm is libspow's
(runtime/), checked against it through ctypes and against torch.linalg.svd.
"""
from .tables import Table, load_table, load_table_file, tables_dir, shipped_tables
from .apply import spectral_power, DEFAULT_SCALING
from .schedule import DynMuon
from .optim import MuonP

__all__ = ["Table", "load_table", "load_table_file", "tables_dir", "shipped_tables",
           "spectral_power", "DEFAULT_SCALING", "DynMuon", "MuonP"]
