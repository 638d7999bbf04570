from huggingface_hub import HfApi

# token for the acme-bot account -> 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
api = HfApi()
api.upload_folder(folder_path="./ckpt", repo_id="acme/sentiment-v2", repo_type="model")
