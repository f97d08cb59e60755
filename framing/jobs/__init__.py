"""Jobs: what a command does, composed of the stage steps.

- :mod:`~framing.jobs.analyze`: ingest, embed, topics, frames, compare, write the run;
- :mod:`~framing.jobs.ingest`: documents and sentences only;
- :mod:`~framing.jobs.apply`, :mod:`~framing.jobs.rerun`, :mod:`~framing.jobs.stability`,
  :mod:`~framing.jobs.sample`, :mod:`~framing.jobs.export`: work on a written run;
- :mod:`~framing.jobs.common` and :mod:`~framing.jobs.write`: the run folder to write,
  the config layers, run.json's common part, the all-or-nothing write;
- :mod:`~framing.jobs.inputs`: what the Python API accepts (paths, a DataFrame, keyword overrides).
"""
