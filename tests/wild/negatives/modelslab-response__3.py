"""Fixtures for tests/test_modelslab_poll.py: canned ModelsLab API answers."""

PROCESSING = {
    "status": "processing",
    "tip": "Your image is processing in background, you can get this image using fetch API",
    "eta": 11.5,
    "messege": "Try to fetch request after given estimated time",
    "fetch_result": "https://modelslab.com/api/v6/images/fetch/794409043",
    "id": 794409043,
    "output": [],
    "future_links": ["https://pub-1084e6fb28dc2dfbe17baaabf6cd7e08.r2.dev/generations/e168796c-cb04-4594-9dd4-b5764616ff39-0.png"],
    "meta": {"file_prefix": "e168796c-cb04-4594-9dd4-b5764616ff39", "seed": 420060688, "outdir": "out"},
}

ERROR_BAD_KEY = {"status": "error", "message": "Invalid Api Key", "tip": "Get your key at modelslab.com"}

REQUEST = {"key": "", "prompt": "a koi pond at dawn", "samples": "1", "track_id": None}
