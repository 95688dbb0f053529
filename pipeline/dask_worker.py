"""What a Dask worker runs for evkg besides its tasks (imported only with ``--cluster``)."""

from __future__ import annotations

from distributed import WorkerPlugin


class ModelLoader(WorkerPlugin):
    """Each worker loads the spaCy pipeline and the lexicon once, when it starts (or joins the
    cluster later), not in its first task; later tasks find them in the per-process caches of
    ``load_nlp`` and ``load_lexicon``. The ``--aliases`` files must be readable at the same
    path on every worker."""

    name = "evkg-model"

    def __init__(self, actor_files: tuple[str, ...]):
        self.actor_files = actor_files

    def setup(self, worker) -> None:
        from .lexicon import load_lexicon
        from .nlp import load_nlp

        load_nlp(self.actor_files)
        load_lexicon(self.actor_files)
