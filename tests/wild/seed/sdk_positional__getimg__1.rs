use getimg::client::Client;
use getimg::utils::save_image;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut client = Client::new("key-Dml7qtat8D58xR8wMbZqcgHpoK7XFF1bcoNvTEYdKQdPeUYIPPAWetKvY8PArPXgBC8ZVupXNIuBJpu33b8wbsVd8BT3vZNY", "lcm-realistic-vision-v5-1");
    let out = client
        .generate_image_from_text("foggy harbor at dawn", 512, 512, 4, "jpeg", None, Some(42))
        .await?;
    save_image(&out.image, "harbor.jpg")?;
    Ok(())
}
