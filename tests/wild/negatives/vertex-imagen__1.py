"""Google Vertex AI Imagen (not the imagen.ai API): auth is ADC, no API key."""
import vertexai
from vertexai.preview.vision_models import ImageGenerationModel

vertexai.init(project="render-405102", location="us-central1")
model = ImageGenerationModel.from_pretrained("imagen-3.0-generate-002")

ENDPOINT = "projects/737330965414/locations/us-central1/publishers/google/models/imagen-3.0-generate-002"
SERVICE_ACCOUNT = "imagen-runner@render-332494.iam.gserviceaccount.com"
SA_KEY_ID = "5790cb0d7aafc3f01a1693a7f5e594059866ea17"  # key id shown in the console, the JSON key file is not in the repo

images = model.generate_images(prompt="a paper lantern festival", number_of_images=2, seed=3567240151)
images[0].save("out/lantern.png")
