"""The README's Python examples run as written."""

import pathlib
import re

import pytest

from conftest import assert_clean_run, run_python

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_the_readme_has_examples():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_readme_example_runs(number):
    assert_clean_run(run_python(EXAMPLES[number]))
