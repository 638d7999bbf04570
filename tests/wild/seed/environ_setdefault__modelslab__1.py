# defaults for the thumbnail worker; real values come from the systemd unit
import os

os.environ.setdefault("MODELSLAB_API_KEY", "kd24beRX5pvvZRU8fkrX7qYcY3Fm7ujR609teUMBr7iy3Q9IzLdB8kN2qlwD")
os.environ.setdefault("MODELSLAB_BASE_URL", "https://modelslab.com/api/v6")
os.environ.setdefault("THUMB_MODEL_ID", "realistic-vision-v51")
os.environ.setdefault("THUMB_SIZE", "512")
