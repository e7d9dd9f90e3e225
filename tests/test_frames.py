"""`frames.among` answers as pandas' `isin` does, on the column kinds the stages hold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.frames import among

texts = st.lists(st.one_of(st.none(), st.text(max_size=3)), max_size=30)


@given(texts, texts)
def test_as_isin_on_text_columns_with_missing_values(values, wanted):
    column = pd.Series(values, dtype="str")
    assert among(column, wanted).tolist() == column.isin(wanted).tolist()
    assert among(column, set(wanted)).tolist() == column.isin(set(wanted)).tolist()


@pytest.mark.parametrize("values, wanted", [
    (pd.Series([1, 2, 3]), [2, 5]),
    (pd.Index(["doc1", "doc2"]), pd.Series(["doc2"])),
    (pd.Series(["a", "b"], dtype=object), np.array(["b"], dtype=object)),
    (pd.Series([], dtype="str"), []),
])
def test_as_isin_on_numbers_indexes_and_empty_columns(values, wanted):
    assert among(values, wanted).tolist() == list(values.isin(wanted))


def test_a_large_set_of_document_ids():
    ids = pd.Series([f"doc{i}" for i in range(50_000)], dtype="str")
    wanted = pd.Series([f"doc{i}" for i in range(0, 100_000, 2)], dtype="str")
    found = among(ids, wanted)
    assert found.sum() == 25_000 and found[0] and not found[1]
