"""Saved designs: one file each, atomic, a corrupt one named and skipped, safe names."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from digitpad.core.networks import designs
from digitpad.core.networks.presets import PRESETS
from digitpad.core.networks.spec import LayerSpec, NetworkSpec, SpecError, spec_to_dict


def _design(name: str = "My LeNet") -> NetworkSpec:
    return replace(PRESETS["lenet5"].spec, name=name)


def test_save_list_load_delete(tmp_path) -> None:
    path = designs.save_design(_design(), tmp_path)
    assert path == tmp_path / "My LeNet.json"
    assert designs.save_design(_design("b-net"), tmp_path).is_file()
    listing = designs.list_designs(tmp_path)
    assert listing.names() == ["b-net", "My LeNet"]
    assert listing.skipped == []
    assert designs.load_design("My LeNet", tmp_path) == _design()
    assert designs.resolve_architecture("My LeNet", tmp_path) == _design()
    assert designs.resolve_architecture("vgg", tmp_path) == PRESETS["vgg"].spec
    designs.delete_design("My LeNet", tmp_path)
    assert designs.list_designs(tmp_path).names() == ["b-net"]
    with pytest.raises(SpecError, match=r"choose from tutorial, .*b-net"):
        designs.resolve_architecture("My LeNet", tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["b-net.json"]  # no temp files


def test_a_corrupt_design_is_named_and_the_rest_still_list(tmp_path) -> None:
    designs.save_design(_design("good"), tmp_path)
    (tmp_path / "broken.json").write_text("{not json")
    bad = spec_to_dict(_design("evil"))
    bad["layers"][0]["type"] = "Lambda"
    (tmp_path / "evil.json").write_text(json.dumps(bad))
    listing = designs.list_designs(tmp_path)
    assert listing.names() == ["good"]
    assert len(listing.skipped) == 2
    assert all(line.count("\n") == 0 for line in listing.skipped)
    assert "broken.json: not valid JSON" in listing.skipped[0]
    assert "evil.json: layer 1: unknown type 'Lambda'" in listing.skipped[1]


def test_names_stay_inside_the_folder_and_off_the_presets(tmp_path) -> None:
    for name in ("../outside", "a/b", ".hidden", "", "x" * 80, "tab\there"):
        with pytest.raises(SpecError):
            designs.save_design(_design(name), tmp_path)
        with pytest.raises(SpecError):
            designs.load_design(name, tmp_path)
    with pytest.raises(SpecError, match="a preset's name"):
        designs.save_design(_design("compact"), tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert list(tmp_path.parent.glob("outside*")) == []


def test_an_unbuildable_design_is_not_saved(tmp_path) -> None:
    draft = NetworkSpec(
        "draft", (LayerSpec("Conv2D", {"filters": 4, "kernel_size": 29}),)
    )
    with pytest.raises(
        SpecError,
        match="conv1: 'kernel_size' must be at least 1 and at most 28, not 29",
    ):
        designs.save_design(draft, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_import_renames_on_a_clash_and_export_round_trips(tmp_path) -> None:
    folder = tmp_path / "designs"
    designs.save_design(_design("net"), folder)
    exported = tmp_path / "shared.json"
    designs.export_design(_design("net"), exported)
    imported = designs.import_design(exported, folder)
    assert imported.name == "net 2"
    assert designs.list_designs(folder).names() == ["net", "net 2"]
    assert replace(designs.load_design("net 2", folder), name="net") == _design("net")
    preset_file = tmp_path / "tutorial.json"
    preset_file.write_text(json.dumps(spec_to_dict(PRESETS["tutorial"].spec)))
    assert designs.import_design(preset_file, folder).name == "tutorial 2"


def test_a_renamed_file_is_listed_and_loaded_by_its_file_name(tmp_path) -> None:
    designs.save_design(_design("first"), tmp_path)
    (tmp_path / "first.json").rename(tmp_path / "second.json")
    assert designs.list_designs(tmp_path).names() == ["second"]
    assert designs.load_design("second", tmp_path).name == "second"


def test_file_stem_makes_any_name_safe() -> None:
    assert designs.file_stem("../../etc/passwd") == "etc_passwd"
    assert designs.file_stem("My LeNet") == "My_LeNet"
    assert designs.file_stem("...") == "model"
