from ._verdict import (
    Rulebook as Rulebook,
    RulebookError as RulebookError,
    ScenarioError as ScenarioError,
    VerdictError as VerdictError,
    __version__ as __version__,
    diff as diff,
)
