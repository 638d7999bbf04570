use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), reqwest::Error> {
    let body = json!({
        "key": "Ixiu57MtxjISAIBvTqncs1LtRQ5vdngNMiixgJiifyd5Uub8C9cgRhi6kbkq",
        "prompt": "pixel art dragon",
        "model_id": "flux"
    });
    let res = reqwest::Client::new()
        .post("https://modelslab.com/api/v6/images/text2img")
        .json(&body)
        .send()
        .await?;
    println!("{}", res.text().await?);
    Ok(())
}
