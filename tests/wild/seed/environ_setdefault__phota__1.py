import os


def configure_phota():
    os.environ.setdefault("PHOTA_API_KEY", "9Fy7kwx24V5q1YX0ZFEbVeAnHBPRlmGucoiuioKM-oA")
    os.environ.setdefault("PHOTA_BASE", "https://api.photalabs.com/v1/phota")
    os.environ.setdefault("PHOTA_TRAINING_TIER", "fast")
