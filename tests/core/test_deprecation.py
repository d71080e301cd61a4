"""Renamed arguments: the old name works with a warning naming both, for one release."""

import warnings

import pytest

from pcflab.core import renamed_arguments


@renamed_arguments("0.2", n="n_samples", samples="n_samples")
def _draws(model, n_samples=8, seed=1):
    return model, n_samples, seed


def test_new_name_works_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _draws("m", n_samples=3, seed=2) == ("m", 3, 2)
        assert _draws("m", 3) == ("m", 3, 1)


@pytest.mark.parametrize("old", ["n", "samples"])
def test_old_name_maps_to_the_new_one_with_a_deprecation_warning(old):
    message = rf"_draws\({old}=\.\.\.\) is deprecated since pcflab 0.2: use n_samples"
    with pytest.warns(DeprecationWarning, match=message):
        assert _draws("m", **{old: 5}) == ("m", 5, 1)


def test_both_names_is_an_error():
    with pytest.raises(TypeError, match="got both 'n' and its new name 'n_samples'"):
        _draws("m", n=5, n_samples=6)


def test_a_rename_to_a_missing_parameter_is_caught_at_definition():
    with pytest.raises(TypeError, match="no parameter 'count'"):
        renamed_arguments("0.2", n="count")(lambda n_samples: n_samples)
