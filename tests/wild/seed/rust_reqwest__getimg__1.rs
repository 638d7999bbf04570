use reqwest::Client;

pub async fn balance(client: &Client) -> reqwest::Result<String> {
    client
        .get("https://api.getimg.ai/v2/billing/balance")
        .bearer_auth("sk_5ubz0cvOYwMqek7pTZrq7FnTXZ9Z1VvrBbMSzAYD0GnAIFp0")
        .send()
        .await?
        .text()
        .await
}
