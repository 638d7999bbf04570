"""conftest.py — fixtures for the billing + image pipeline tests."""
import os
import pytest

# Stripe's documented test-mode keys (https://stripe.com/docs/keys); they can only
# touch Stripe's shared sandbox.
STRIPE_TEST_SECRET = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
STRIPE_TEST_PUBLISHABLE = "pk_test_TYooMQauvdEDq54NiTphI7jx"

@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setenv("STRIPE_SECRET_KEY", STRIPE_TEST_SECRET)
    monkeypatch.setenv("GETIMG_API_KEY", "test")  # getimg calls are mocked with respx
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    yield
