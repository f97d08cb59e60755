"""The run folder as a typed object.

- :mod:`~framing.runfolder.layout`: every file name of a run (nothing else spells ``tables/NAME.parquet``);
- :mod:`~framing.runfolder.meta`: run.json as :class:`~framing.runfolder.meta.RunMeta`, versioned, with migrations;
- :mod:`~framing.runfolder.io`: reading and writing tables and run.json, the run's config from run.json;
- :mod:`~framing.runfolder.target`: where a run may be written (checked before any work);
- :mod:`~framing.runfolder.commit`: the staged, all-or-nothing write;
- :mod:`~framing.runfolder.received`: reading a run folder someone else may have written (untrusted: no link
  followed, sizes limited, nothing unpickled).

:mod:`framing.store` re-exports the names other modules use.
"""
