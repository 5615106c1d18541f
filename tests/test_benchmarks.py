"""The benchmark scripts still load against today's code.

They are scripts, not tests, so nothing else would notice when a module they import moves (the
import benchmark once pointed at a module the restructuring had removed). Loading each one runs
its imports and definitions, not its timed main().
"""
from __future__ import annotations

import runpy
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).resolve().parents[1] / "benchmarks").glob("bench_*.py"))


def test_there_are_benchmarks():
    assert len(BENCHMARKS) >= 5


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.stem)
def test_benchmark_loads(script):
    names = runpy.run_path(str(script), run_name="loaded_by_test")
    assert callable(names.get("main"))
