# terraform.tfvars
phota_api_key  = "AFwc7IjWLsaGT59iw1WmFXMCyPq7lPA5v8a9dakvMwI"
phota_base_url = "https://api.photalabs.com/v1/phota"
lambda_memory  = 512
