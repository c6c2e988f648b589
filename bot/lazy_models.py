"""aiogram's pydantic models, built when first used instead of all at import.

aiogram 3.31 declares its ~450 Telegram types with `defer_build=True`, then
`aiogram/types/__init__.py` calls `model_rebuild()` on every one of them, which builds them all
at once: measured here, importing aiogram.types costs 2.8 s of CPU and holds 169 MB; a bot
uses a few dozen of the types. Upstream knows (aiogram issues 1513, 1876, 1891; PR 1861 made
the rebuild cheaper, not lazy); there is no setting for it.

`defer()` imports aiogram.types with that loop's `model_rebuild(_types_namespace=...)` turned
into "make the names resolvable": the names a type's annotations use but its module imports
only for type checkers are added to that module, and the type stays deferred; pydantic builds
it on its first use (its own `defer_build` path), resolving the annotations from the module,
whether it builds the type itself or inside another model (an update, a method, a response).
Measured: 0.95 s and 62 MB for the import. Only that one call inside aiogram.types is changed,
and only while aiogram.types is being imported; pydantic's `model_rebuild` is put back after.
tests/unit/test_lazy_models.py builds every type this way and validates the updates the bot
handles against an eager import.

Pinned: aiogram 3.31.0, pydantic 2.13.5 (pyproject.toml). A version that changes either the
loop or pydantic's deferred build fails that test.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from pydantic import BaseModel

_NAME = re.compile(r"[A-Za-z_]\w*")


def defer() -> bool:
    """Import aiogram.types with its models deferred; False if it was imported already (then
    nothing changes: its models are built)."""
    if "aiogram.types" in sys.modules:
        return False
    rebuild = BaseModel.__dict__["model_rebuild"]

    def remember(cls: type[BaseModel], **kwargs: Any) -> bool | None:
        namespace = kwargs.get("_types_namespace")
        if namespace is None or not cls.__module__.startswith("aiogram.types."):
            return rebuild.__func__(cls, **kwargs)  # type: ignore[no-any-return]
        # The names the class's annotations use but its module imports only for type checkers
        # become the module's own, so pydantic resolves them whichever model it is building
        # when it meets this one (a method's, a response's, an update's).
        # Inherited fields are resolved in the subclass's module (pydantic rebuilds them
        # there), and a base outside aiogram.types' __all__ (MenuButton) is never rebuilt
        # itself: every module along the class's bases gets the names of all their fields.
        owners = [c for c in cls.__mro__ if c.__module__.startswith("aiogram.types.")]
        names = {
            name
            for owner in owners
            for annotation in vars(owner).get("__annotations__", {}).values()
            for name in _NAME.findall(str(annotation))
            if name in namespace
        }
        for owner in owners:
            module = vars(sys.modules[owner.__module__])
            for name in names - module.keys():
                module[name] = namespace[name]
        return None

    BaseModel.model_rebuild = classmethod(remember)  # type: ignore[method-assign, assignment, arg-type]
    try:
        import aiogram.types  # noqa: F401
    finally:
        BaseModel.model_rebuild = rebuild  # type: ignore[method-assign]
    return True
