"""Packages of the wheel: everything under framing/, plus the top-level configs/ as framing.configs.

configs/ stays where the design puts it (the one source of truth); the wheel carries it as package data.
All other metadata is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["framing", "framing.*"]), "framing.configs"],
    package_dir={"framing.configs": "configs"},
    package_data={"framing": ["py.typed", "report/templates/*", "report/templates/sections/*", "report/vendor/*",
                              "frames/reference/*.txt"],
                  "framing.configs": ["*.yaml", "frames/*.yaml", "frames/*.trained.json"]},
)
