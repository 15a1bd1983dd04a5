"""Only the compiled part of the package; the metadata is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "wurao.sampling._teamkeys",
            ["wurao/sampling/_teamkeys.c"],
            libraries=["crypto"],  # OpenSSL's libcrypto (Debian: libssl-dev)
        )
    ]
)
