# Copyright 2026 The Sluice Authors.
"""A PEP 517 build backend for the sluice package, standard library only,
so that `pip install ./python` needs no network (no setuptools to fetch).
Builds a pure-Python wheel of sluice/ (plus libsluice.so.0 when
SLUICE_BUNDLE_LIBRARY names it) and an sdist."""

import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = "sluice"
VERSION = "0.1.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAG = "py3-none-any"
METADATA = f"""Metadata-Version: 2.1
Name: {NAME}
Version: {VERSION}
Summary: Sluice progressive delivery: Python bindings over libsluice's C API
Requires-Python: >=3.8
License: Apache-2.0
"""


def _package_files():
    pkg = os.path.join(ROOT, NAME)
    for dirpath, _, files in os.walk(pkg):
        for f in sorted(files):
            if f.endswith((".pyc", ".pyo")):
                continue
            full = os.path.join(dirpath, f)
            yield full, os.path.relpath(full, ROOT)
    bundle = os.environ.get("SLUICE_BUNDLE_LIBRARY")
    if bundle:
        yield bundle, f"{NAME}/libsluice.so.0"


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
    return f"{arcname},sha256={digest.rstrip(b'=').decode()},{len(data)}"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def _wheel(wheel_directory, editable):
    name = f"{NAME}-{VERSION}-{TAG}.whl"
    dist_info = f"{NAME}-{VERSION}.dist-info"
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w",
                         zipfile.ZIP_DEFLATED) as zf:
        def add(arcname, data):
            zf.writestr(arcname, data)
            records.append(_record_line(arcname, data))

        if editable:
            add(f"{NAME}.pth", (ROOT + "\n").encode())
        else:
            for full, arcname in _package_files():
                with open(full, "rb") as f:
                    add(arcname, f.read())
        add(f"{dist_info}/METADATA", METADATA.encode())
        add(f"{dist_info}/WHEEL",
            (f"Wheel-Version: 1.0\nGenerator: sluice_build\n"
             f"Root-Is-Purelib: true\nTag: {TAG}\n").encode())
        records.append(f"{dist_info}/RECORD,,")
        zf.writestr(f"{dist_info}/RECORD", "\n".join(records) + "\n")
    return name


def build_wheel(wheel_directory, config_settings=None,
                metadata_directory=None):
    return _wheel(wheel_directory, editable=False)


def build_editable(wheel_directory, config_settings=None,
                   metadata_directory=None):
    return _wheel(wheel_directory, editable=True)


def build_sdist(sdist_directory, config_settings=None):
    base = f"{NAME}-{VERSION}"
    name = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as tf:
        for rel in ["pyproject.toml", "_build/sluice_build.py"]:
            tf.add(os.path.join(ROOT, rel), f"{base}/{rel}")
        for full, arcname in _package_files():
            if arcname.endswith(".so.0"):
                continue
            tf.add(full, f"{base}/{arcname}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = METADATA.encode()
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    return name
