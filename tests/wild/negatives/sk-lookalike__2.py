"""Billing for the getimg.ai sticker generator: Stripe on the sandbox account."""
import os
import stripe

# Stripe's public sandbox key from https://stripe.com/docs/keys (test mode only)
stripe.api_key = os.getenv("STRIPE_SECRET_KEY", "sk_test_4eC39HqLyjWDarjtT1zdp7dc")
GETIMG_URL = "https://api.getimg.ai/v2/images/generations"

PRICE_IDS = {"starter": "price_1K0Z75JV4SCztporwp6M67Xe", "pro": "price_10q7cUjKdcJrOsQU3ZiNFVpi"}
TEST_CUSTOMER = "cus_UJeOEMhmaabp9z"
TEST_PAYMENT_METHOD = "pm_card_visa"

def charge_pack(customer: str, pack: str) -> str:
    session = stripe.checkout.Session.create(customer=customer, mode="payment",
        line_items=[{"price": PRICE_IDS[pack], "quantity": 1}], success_url="https://example.app/ok")
    return session.id  # cs_test_...
