"""Packages of the wheel: everything under framing/, plus the top-level configs/ as framing.configs.

configs/ stays where the design puts it (the one source of truth); the wheel carries it as package data.
All other metadata is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

# Namespace packages, so that the folders of package data (report/templates, configs/frames ...) are
# listed too: setuptools warns about each folder it would otherwise have to guess.
setup(
    packages=[*find_namespace_packages(include=["framing", "framing.*"], exclude=["*.__pycache__"]),
              "framing.configs", "framing.configs.frames", "framing.configs.techniques"],
    package_dir={"framing.configs": "configs"},
    package_data={"framing": ["py.typed", "report/templates/*", "report/templates/sections/*", "report/vendor/*",
                              "frames/reference/*.txt"],
                  "framing.configs": ["*.yaml", "frames/*.yaml", "frames/*.trained.json", "techniques/*.yaml"]},
)
