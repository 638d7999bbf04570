import re

# Shapes only: used to tell the user which provider a pasted key belongs to.
KEY_SHAPES = {
    "openai": re.compile(r"^sk-(proj|svcacct|admin)-[A-Za-z0-9_-]{40,}$"),
    "anthropic": re.compile(r"^sk-ant-(api|admin)\d\d-[A-Za-z0-9_-]{93}AA$"),
    "getimg": re.compile(r"^(key-[A-Za-z0-9]{80,112}|sk_[A-Za-z0-9]{40,64})$"),
    "modelslab": re.compile(r"^[A-Za-z0-9]{60}$"),
    "replicate": re.compile(r"^r8_[A-Za-z0-9]{37}$"),
    "huggingface": re.compile(r"^hf_[A-Za-z]{34}$"),
    "google": re.compile(r"^AIza[0-9A-Za-z_-]{35}$"),
}

def guess_provider(key: str) -> str | None:
    return next((name for name, rx in KEY_SHAPES.items() if rx.match(key.strip())), None)
