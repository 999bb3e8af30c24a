"""The one YAML loader the hub uses for content and vocabulary files.

Stricter than ``yaml.safe_load``: repeated keys and aliases are errors (an
alias can expand into gigabytes), dates stay text so an impossible date is
reported instead of crashing PyYAML, and only true/false are booleans, so the
region key ``on`` (Ontario) or ``no`` stays text as YAML 1.2 reads it.
"""
from __future__ import annotations

import re

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}


class StrictLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ComposerError(None, None, "YAML aliases (*name) are not allowed", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise ConstructorError(None, None, "a key must be plain text", key_node.start_mark) from None
            if key in seen:
                raise ConstructorError(None, None, f"the key '{key}' is repeated", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def strict_load(text: str):
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
