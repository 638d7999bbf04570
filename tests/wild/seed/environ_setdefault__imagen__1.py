import os

import pytest

os.environ.setdefault("IMAGEN_API_KEY", "w2wGJnA6AgpOjMegXNfSMBytgGg9wNhRqBwQtgY7")


@pytest.fixture
def imagen_base_url():
    return "https://api.imagen.ai/v1"
