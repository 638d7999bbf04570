from langsmith import Client

client = Client(api_key="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", api_url="https://api.smith.langchain.com")
for run in client.list_runs(project_name="support-bot", limit=5):
    print(run.name)
