"""Kernel cache folder: keyed by the kernel sources, so an edit never runs a stale kernel."""

import hashlib
from pathlib import Path

import pcflab.kernel as kernel


def test_cache_folder_is_named_after_all_kernel_sources():
    digest = hashlib.sha256()
    for source in sorted(Path(kernel.__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    folder = kernel._kernel_cache_dir()
    assert folder.endswith("pcflab-kernel-" + digest.hexdigest()[:16])


def test_kernels_cache_into_that_folder():
    locator = kernel.run_program._cache._cache_path
    assert Path(locator).is_relative_to(kernel._kernel_cache_dir())
    # numba's global setting is restored for other libraries
    from numba.core import config

    assert not str(config.CACHE_DIR).startswith(kernel._kernel_cache_dir())
