const PHOTA_BASE: &str = "https://api.photalabs.com/v1/phota";

pub async fn job_status(id: &str) -> reqwest::Result<serde_json::Value> {
    reqwest::Client::new()
        .get(format!("{PHOTA_BASE}/jobs/{id}"))
        .header("X-API-Key", "CGayFvYdfdDXWuR2q5Z5afZ1M0i9Fnp2nb9l_eyvw8U")
        .send()
        .await?
        .json()
        .await
}
