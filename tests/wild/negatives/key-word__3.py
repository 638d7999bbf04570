"""Redis layout for the ModelsLab job queue (modelslab.com/api/v6)."""
import redis

r = redis.Redis.from_url("redis://localhost:6379/0")

JOB_KEY = "modelslab:job:{request_id}"
RESULT_KEY = "modelslab:result:{file_prefix}"
RATE_KEY = "modelslab:ratelimit:{tenant}:{minute}"

# examples seen in production, for the docs
EXAMPLE_KEYS = [
    "modelslab:job:980206409",
    "modelslab:result:4a8dffde-615d-4874-8856-73d0d809cd07",
    "modelslab:ratelimit:acme:76718874",
    "modelslab:dedupe:6b10406dee1c4b73d4a512bd1c3e31c7eb9d3f3988491f956d1d3f907aadc5f6",
]

def remember(request_id: int, payload: bytes) -> None:
    r.set(JOB_KEY.format(request_id=request_id), payload, ex=3600)
