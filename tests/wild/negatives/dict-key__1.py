"""Form schema for the ModelsLab text2img panel (modelslab.com/api/v6/images/text2img).

Each entry's "key" is the request-body field it fills, not a credential; the API
key itself is added server-side from MODELSLAB_API_KEY.
"""
FIELDS = [
    {"key": "prompt", "label": "Prompt", "type": "textarea", "required": True},
    {"key": "negative_prompt", "label": "Avoid", "type": "textarea"},
    {"key": "model_id", "label": "Model", "type": "select", "default": "flux"},
    {"key": "num_inference_steps", "label": "Steps", "type": "int", "default": 30},
    {"key": "guidance_scale", "label": "Guidance", "type": "float", "default": 7.5},
    {"key": "enhance_prompt", "label": "Enhance prompt", "type": "bool"},
]

# de-duplication entries written by the worker: key = sha256(prompt + params)
DEDUPE = [
    {"key": "f75398504efa31907ea5cbf57c14b6c14d11f21685d584dbd9a6622c7ef1824e", "request_id": 953516582},
    {"key": "abac6822909dfaec9c6e780cc83bb0e908ac40d7d25d4e85930f8f011e8f617d", "request_id": 811934912},
]
