"""Loads requirement YAMLs (suite = sub-folder, id = file stem) and the SAM-shaped template.

Pure file reading; safe from any thread.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class LoadError(Exception):
    """A requirement tree or template that cannot be used."""


@dataclass
class Requirement:
    id: str
    suite: str
    path: str
    data: dict

    @property
    def description(self) -> str:
        return str(self.data.get("description") or "").strip()

    @property
    def asynchronous(self) -> bool:
        return self.data.get("AsyncInvoke") is True

    @property
    def optional(self) -> bool:
        return self.data.get("optional") is True


@dataclass
class Template:
    functions: dict = field(default_factory=dict)  # requirement id -> function name
    not_implemented: dict = field(default_factory=dict)  # requirement id -> reason
    warnings: list = field(default_factory=list)


def id_sort_key(requirement_id: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", requirement_id))


def load_requirement(path: Path, suite: str) -> Requirement:
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise LoadError(f"{path}: {e}") from None
    if not isinstance(data, dict):
        raise LoadError(f"{path}: a requirement must be a mapping")
    return Requirement(path.stem, suite, str(path), data)


def load_requirements(root: str) -> dict:
    """All requirements under root; a suite is any sub-folder holding at least one YAML."""
    base = Path(root)
    if not base.is_dir():
        raise LoadError(f"requirements folder not found: {root}")
    found: dict = {}
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.yaml")):
            requirement = load_requirement(path, folder.name)
            if requirement.id in found:
                raise LoadError(f"duplicate requirement id {requirement.id}: {path} and "
                                f"{found[requirement.id].path}")
            found[requirement.id] = requirement
    return found


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that turns CloudFormation tags (!Sub, !GetAtt, !Ref, ...) into {tag: value}."""


def _cfn_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {suffix: value}


_CfnLoader.add_multi_constructor("!", _cfn_tag)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _testing_metadata(resource: dict) -> list:
    """TestingMetadata blocks of a resource: resource-level, Metadata.* and Properties.*."""
    blocks = [resource.get("TestingMetadata")]
    for parent in ("Metadata", "Properties"):
        holder = resource.get(parent)
        if isinstance(holder, dict):
            blocks.append(holder.get("TestingMetadata"))
    return [b for b in blocks if isinstance(b, dict)]


def _add_not_implemented(template: Template, entries: Any, where: str) -> None:
    for entry in _as_list(entries):
        if isinstance(entry, dict) and entry.get("id") is not None:
            template.not_implemented[str(entry["id"])] = str(entry.get("reason") or "")
        elif isinstance(entry, (str, int, float)):
            template.not_implemented[str(entry)] = ""
        else:
            template.warnings.append(f"{where}: ignored NotImplemented entry {entry!r}")


def parse_template(text: str) -> Template:
    try:
        doc = yaml.load(text, Loader=_CfnLoader)  # noqa: S506 (safe loader subclass)
    except yaml.YAMLError as e:
        raise LoadError(f"template: {e}") from None
    if not isinstance(doc, dict):
        raise LoadError("template: not a mapping")
    template = Template()
    legacy = doc.get("TestingMetadata")
    if isinstance(legacy, dict):
        _add_not_implemented(template, legacy.get("NotImplemented"), "TestingMetadata")
    _add_not_implemented(template, doc.get("NotImplemented"), "NotImplemented")
    resources = doc.get("Resources") or {}
    if not isinstance(resources, dict):
        raise LoadError("template: Resources must be a mapping")
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Serverless::Function":
            continue
        for block in _testing_metadata(resource):
            for requirement_id in _as_list(block.get("TestDescription")):
                requirement_id = str(requirement_id)
                if requirement_id in template.functions:
                    template.warnings.append(
                        f"{requirement_id} mapped to {template.functions[requirement_id]} and "
                        f"{logical_id}; using the first")
                    continue
                template.functions[requirement_id] = str(logical_id)
            _add_not_implemented(template, block.get("NotImplemented"), str(logical_id))
    return template


def load_template(path: str) -> Template:
    try:
        with open(path, encoding="utf-8") as f:
            return parse_template(f.read())
    except OSError as e:
        raise LoadError(f"template: {e}") from None
