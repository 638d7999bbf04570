use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};

fn imagen_client() -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer IMb1LUUnUZaVxaCEKGQ2D2oC7ACB9xw3FOgpSrYh"));
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("client") // used for https://api.imagen.ai/v1
}
